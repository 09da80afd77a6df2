import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import { DatabaseReader, OutboxJob } from '@vigia/database';
import { JobFailureHandler, JobHandler, JobName, JobOutbox, NormaliseReportPayload } from '@vigia/queue';
import { StixInputError } from '@vigia/stix';
import { Job, UnrecoverableError } from 'bullmq';
import { indicatorsNormalised, indicatorsSuppressed } from '../worker-metrics';
import { NormaliseOutcome, ReportNormaliser } from './report-normaliser.service';

/** Errors no retry can fix: the report is gone, or its data cannot become valid STIX. */
const PERMANENT_ERRORS: ReadonlySet<ErrorCode> = new Set([ErrorCode.NotFound, ErrorCode.ValidationFailed]);

const isPermanent = (error: unknown): boolean =>
  (error instanceof VigiaException && PERMANENT_ERRORS.has(error.code)) || error instanceof StixInputError;
const MAX_REASON_LENGTH = 1000;

/** What the job returns (kept by BullMQ with the completed job). */
export type NormaliseSummary = Omit<NormaliseOutcome, 'alertableIds' | 'fanOut'> & { alertable: number };

/** How a failed attempt ends: retried, or the report marked failed (now, or because it was the last attempt). */
export function failureOf(error: unknown, job: Pick<Job, 'attemptsMade' | 'opts'>) {
  const permanent = isPermanent(error);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const message = error instanceof Error ? error.message : String(error);
  return { permanent, final: permanent || lastAttempt, reason: message.slice(0, MAX_REASON_LENGTH) };
}

@Injectable()
export class NormaliseReportHandler {
  private readonly logger = new Logger('Normalise');

  constructor(
    private readonly normaliser: ReportNormaliser,
    private readonly outbox: JobOutbox,
    private readonly reader: DatabaseReader,
  ) {}

  /**
   * Normalises the report; its early warnings job (job id per report, so a rerun never warns twice) is recorded in
   * the outbox with the commit and queued right after. A rerun after the commit (the worker died before
   * acknowledging) finds the report normalised and only records and queues the warnings job again.
   */
  @JobHandler(JobName.NormaliseReport)
  async normaliseReport(payload: NormaliseReportPayload, job: Job): Promise<NormaliseSummary> {
    const { reportId, requestId, rebuild = false } = payload;
    const started = Date.now();
    try {
      const outcome = await this.normaliser.normalise(reportId, { warn: !rebuild });
      // The reporter's TAXII and object reads must see the STIX objects this stored (read replica).
      if (!outcome.alreadyNormalised) await this.reader.recordWrite(outcome.organisationId);
      await this.dispatch(outcome);
      const { alertableIds, fanOut: _fanOut, refresh: _refresh, ...summary } = outcome;
      if (!outcome.alreadyNormalised) countIndicators(outcome);
      this.logger.log({ requestId, ...summary, ms: Date.now() - started }, 'report normalised');
      return { ...summary, alertable: alertableIds.length };
    } catch (error) {
      const failure = failureOf(error, job);
      if (failure.final) {
        await this.normaliser.markFailed(reportId, failure.reason);
        this.logger.warn({ reportId, requestId, reason: failure.reason }, 'report failed');
      }
      throw failure.permanent ? new UnrecoverableError(failure.reason) : error;
    }
  }

  /**
   * BullMQ failed the job without running it (its worker died in the middle of it too often). Without this the
   * report would stay `received` forever. When the report is normalised after all (the worker died after the
   * commit), its warnings job is recorded and queued again.
   */
  @JobFailureHandler(JobName.NormaliseReport)
  async normalisationAbandoned({ reportId, requestId }: NormaliseReportPayload, reason: string): Promise<void> {
    const failureReason = `normalisation did not finish: ${reason}`.slice(0, MAX_REASON_LENGTH);
    if (await this.normaliser.markFailed(reportId, failureReason)) {
      this.logger.warn({ reportId, requestId, reason: failureReason }, 'report failed');
      return;
    }
    await this.dispatch(await this.normaliser.normalise(reportId));
  }

  /** Queues the jobs recorded with the commit; a rerun's may be finished already (`JobOutbox.dispatchAgain`). */
  private async dispatch(outcome: NormaliseOutcome): Promise<void> {
    const jobs = jobsOf(outcome);
    await (outcome.alreadyNormalised ? this.outbox.dispatchAgain(jobs) : this.outbox.dispatch(jobs));
  }
}

/** The jobs recorded with the commit, to queue right after it. */
const jobsOf = ({ fanOut, refresh }: NormaliseOutcome): OutboxJob[] =>
  [fanOut, refresh].filter((job): job is OutboxJob => job !== undefined);

function countIndicators(outcome: NormaliseOutcome): void {
  indicatorsNormalised.inc({ outcome: 'created' }, outcome.created);
  indicatorsNormalised.inc({ outcome: 'updated' }, outcome.updated);
  indicatorsSuppressed.inc(outcome.suppressed);
}
