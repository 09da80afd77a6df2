import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { REDIS_CLIENT } from '@vigia/common';
import { JobName, JobQueueService } from '@vigia/queue';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

const ENQUEUE_TIMEOUT_MS = 1000;
/** A `received` report whose job was queued this long ago without effect is queued again (Redis may have lost it). */
const REQUEUE_AFTER = "interval '5 minutes'";
const REENQUEUE_BATCH = 500;

/**
 * Puts accepted reports on the queue. Never blocks a submission on Redis: when Redis does not answer the
 * report stays `received` without `enqueued_at`, and the periodic sweep queues it once Redis is back.
 * The job id is the report id, so queuing twice never makes two jobs.
 */
@Injectable()
export class ReportEnqueuer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportEnqueuer.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueueService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.ingest.reenqueueIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Queues one report; false when Redis is unavailable (the sweep will retry). */
  async enqueue(reportId: string): Promise<boolean> {
    // The shared client shares BullMQ's Redis; when it is not connected, adding would only wait.
    if (this.redis.status !== 'ready') return false;
    try {
      await withTimeout(this.jobs.enqueue(JobName.NormaliseReport, { reportId }, { jobId: reportId }));
      return true;
    } catch (error) {
      this.logger.warn({ reportId, err: error }, 'could not enqueue report; it stays received and will be retried');
      return false;
    }
  }

  /** Hands a report the enqueue could not queue to the next sweep. */
  async markNotQueued(reportId: string): Promise<void> {
    await this.dataSource.query(`UPDATE incident_reports SET enqueued_at = NULL WHERE id = $1`, [reportId]);
  }

  /** Queues every `received` report that has no job yet (or lost it); returns how many were queued. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const rows = (await this.dataSource.query(
        `SELECT id FROM incident_reports
          WHERE status = 'received'
            AND (enqueued_at IS NULL OR enqueued_at < now() - ${REQUEUE_AFTER})
            AND received_at < now() - interval '1 second'
          ORDER BY received_at LIMIT $1`,
        [REENQUEUE_BATCH],
      )) as { id: string }[];
      const queued: string[] = [];
      for (const { id } of rows) {
        if (!(await this.enqueue(id))) break;
        queued.push(id);
      }
      if (queued.length === 0) return 0;
      await this.dataSource.query(`UPDATE incident_reports SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [
        queued,
      ]);
      this.logger.log({ queued: queued.length }, 're-enqueued received reports');
      return queued.length;
    } catch (error) {
      this.logger.warn({ err: error }, 're-enqueue sweep failed');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
      ENQUEUE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
