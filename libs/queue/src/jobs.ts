import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue Vigia uses. */
export enum QueueName {
  Reports = 'reports',
  Warnings = 'warnings',
  Webhooks = 'webhooks',
  Mail = 'mail',
  Indicators = 'indicators',
}

/** Every job name; each belongs to one queue (`JOB_QUEUE`) and has a payload type below. */
export enum JobName {
  NormaliseReport = 'normalise-report',
  FanOutWarnings = 'fan-out-warnings',
  DeliverWebhook = 'deliver-webhook',
  SendMail = 'send-mail',
  SendWarningDigests = 'send-warning-digests',
  RefreshIndicators = 'refresh-indicators',
  RescoreIndicators = 'rescore-indicators',
  DeliverIndicatorFeedback = 'deliver-indicator-feedback',
}

/** Turn an accepted incident report into STIX; job id = report id, so a retried enqueue never duplicates. */
export interface NormaliseReportPayload {
  reportId: string;
  /** Correlation id of the submission, carried into the worker's logs. */
  requestId?: string;
  /** The STIX store is being rebuilt from the reports (a migration): normalise, but warn nobody again. */
  rebuild?: boolean;
}

/**
 * Warn the subscribed CSIRTs about a freshly normalised report; job id = `warningsJobId(reportId)`.
 * `indicatorIds` are the STIX ids (indicator or vulnerability) this report created or updated that are active and
 * not suppressed by a warninglist; their data is in `stix_objects` (latest version, `is_latest`).
 */
export interface FanOutWarningsPayload {
  reportId: string;
  indicatorIds: string[];
}

/** Send one webhook delivery (a row of `webhook_deliveries`); job id = `deliveryJobId(...)`. */
export interface DeliverWebhookPayload {
  deliveryId: string;
}

/** Send one mail (a row of `mails`); job id = `mailJobId(mailId)`. */
export interface SendMailPayload {
  mailId: string;
}

/**
 * Mail the early-warning digests whose period ended (e-mail channels in hourly or daily mode). Not produced through
 * the outbox but added on a timer (`JOB_SCHEDULES`); a run that finds nothing due does nothing, and two runs never
 * take the same warning.
 */
export type SendWarningDigestsPayload = Record<string, never>;

/**
 * Bring the analysts' view of these indicators (`indicator_search`) up to date with the STIX store: after a report's
 * normalisation committed (job id `refreshIndicatorsJobId(reportId)`), idempotent.
 */
export interface RefreshIndicatorsPayload {
  reportId: string;
  /**
   * The reporting organisation, whose reads must see the refreshed view (read replica); absent in jobs queued before
   * it was added.
   */
  organisationId?: string;
  /** The report's audience (libs/sharing `audienceKeyOf`): the indicators' too. */
  audienceKey: string;
  /** STIX ids of the indicators and vulnerabilities the report wrote. */
  indicatorIds: string[];
}

/** Age every indicator's score (decay since last seen); added on a timer (`JOB_SCHEDULES`), nightly. */
export type RescoreIndicatorsPayload = Record<string, never>;

/**
 * Tell the organisations that shared an indicator about a member's sighting of it or feedback on it (stream, webhook,
 * mail), under the sighting's or feedback's own scope; job id = `feedbackJobId(objectId)`.
 */
export interface DeliverIndicatorFeedbackPayload {
  /** The STIX id of the sighting or opinion. */
  objectId: string;
  /** This feedback took the indicator past the false-positive threshold: its fan-out stops. */
  suppressed: boolean;
}

export interface JobPayloads {
  [JobName.NormaliseReport]: NormaliseReportPayload;
  [JobName.FanOutWarnings]: FanOutWarningsPayload;
  [JobName.DeliverWebhook]: DeliverWebhookPayload;
  [JobName.SendMail]: SendMailPayload;
  [JobName.SendWarningDigests]: SendWarningDigestsPayload;
  [JobName.RefreshIndicators]: RefreshIndicatorsPayload;
  [JobName.RescoreIndicators]: RescoreIndicatorsPayload;
  [JobName.DeliverIndicatorFeedback]: DeliverIndicatorFeedbackPayload;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.NormaliseReport]: QueueName.Reports,
  [JobName.FanOutWarnings]: QueueName.Warnings,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.SendMail]: QueueName.Mail,
  [JobName.SendWarningDigests]: QueueName.Mail,
  [JobName.RefreshIndicators]: QueueName.Indicators,
  [JobName.RescoreIndicators]: QueueName.Indicators,
  [JobName.DeliverIndicatorFeedback]: QueueName.Indicators,
};

/** A job added on a timer instead of by a producer: `schedulerId` names its BullMQ job scheduler. */
export interface JobSchedule {
  schedulerId: string;
  everyMs: number;
}

/**
 * Jobs added on a timer. Every worker consuming the job's queue upserts its BullMQ job scheduler at boot (the same id
 * makes them one scheduler), so the job runs once per period however many workers there are.
 */
export const JOB_SCHEDULES: Partial<Record<JobName, JobSchedule>> = {
  // A digest goes out at most this long after its period ended.
  [JobName.SendWarningDigests]: { schedulerId: 'warning-digests', everyMs: 60_000 },
  // Scores decay by the day (docs/indicators.md): once a day is enough.
  [JobName.RescoreIndicators]: { schedulerId: 'indicator-scores', everyMs: 24 * 3600_000 },
};

/** One warnings job per report however often normalisation runs. BullMQ refuses ':' in custom ids, hence '-'. */
export const warningsJobId = (reportId: string): string => `warnings-${reportId}`;

/**
 * One job per delivery (the same job is delayed between its retries), and a new one per replay. BullMQ refuses
 * ':' in custom ids, hence '-'.
 */
export const deliveryJobId = (deliveryId: string, replay = 0): string =>
  replay === 0 ? `delivery-${deliveryId}` : `delivery-${deliveryId}-replay-${replay}`;

/** One refresh of the analysts' view per report. */
export const refreshIndicatorsJobId = (reportId: string): string => `refresh-indicators-${reportId}`;

/** One delivery job per sighting or feedback object (STIX ids hold '--', never ':'). */
export const feedbackJobId = (objectId: string): string => `feedback-${objectId}`;

/** One job per mail. */
export const mailJobId = (mailId: string): string => `mail-${mailId}`;

/** The replay number in a job id made by `deliveryJobId` for this delivery; undefined for any other id. */
export function replayOfDeliveryJob(deliveryId: string, jobId: string | undefined): number | undefined {
  if (jobId === undefined) return undefined;
  const replay = Number(/-replay-(\d+)$/.exec(jobId)?.[1] ?? 0);
  // Only the exact form deliveryJobId writes: "-replay-01" or "-replay-0" are not one.
  return deliveryJobId(deliveryId, replay) === jobId ? replay : undefined;
}

/** Defaults for every job: retried with exponential backoff, failures kept for inspection and replay. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/** How long a worker holds a job before another may take it over (the worker renews it while the job runs). */
export const DEFAULT_LOCK_DURATION_MS = 30_000;

/** Per-job deviations from the defaults, in this one place. */
export const JOB_OPTIONS: Partial<Record<JobName, JobsOptions>> = {
  // The delivery row is the record of what happened; the handler schedules the webhook's own retries, so BullMQ's
  // attempts only cover the worker failing (database down...). Finished jobs are many and need not stay long.
  [JobName.DeliverWebhook]: { removeOnComplete: { age: 3600, count: 10_000 } },
  // The next run a minute later is the retry; runs leave nothing worth keeping.
  [JobName.SendWarningDigests]: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  [JobName.RescoreIndicators]: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 10 } },
};

/** Configured replacements for the attempts and backoff above (`JOB_ATTEMPTS`, `JOB_BACKOFF_MS`), e.g. in tests. */
export interface RetrySettings {
  attempts?: number;
  backoffMs?: number;
}

const retryOptions = ({ attempts, backoffMs }: RetrySettings): JobsOptions => ({
  ...(attempts === undefined ? {} : { attempts }),
  ...(backoffMs === undefined ? {} : { backoff: { type: 'exponential', delay: backoffMs } }),
});

export const jobOptionsFor = (name: JobName, overrides: JobsOptions = {}, retry: RetrySettings = {}): JobsOptions => ({
  ...DEFAULT_JOB_OPTIONS,
  ...JOB_OPTIONS[name],
  ...retryOptions(retry),
  ...overrides,
});

export const jobNamesOf = (queue: QueueName): JobName[] =>
  (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
