import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENT, withTimeout } from '@vigia/common';
import { OutboxJob, OutboxJobKey, OutboxRepository } from '@vigia/database';
import Redis from 'ioredis';
import { JobQueueService } from './job-queue.service';
import { JOB_QUEUE, JobName, JobPayloads } from './jobs';

/** How long an immediate relay may wait for Redis before the outbox relay is left to do it. */
const DISPATCH_TIMEOUT_MS = 1000;
/** Finished jobs are settled in batches this often, or this many at once. */
const FLUSH_INTERVAL_MS = 100;
const FLUSH_BATCH = 1000;
/** After settling failed (PostgreSQL unreachable), the next try waits this long. */
const FLUSH_RETRY_MS = 1000;

/** A typed outbox job: the queue follows from the job name, the payload must match it. */
export function outboxJob<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): OutboxJob {
  return { queue: JOB_QUEUE[name], name, jobId, payload };
}

/**
 * The producers' and the worker's side of the outbox. Jobs are recorded by repositories in the producer's own
 * transaction (build them with `outboxJob`), counted as relayed; once it has committed, `dispatch` hands them to
 * BullMQ at once, and marks those that did not get there as waiting for `OutboxRelay`. The worker `settle`s a job
 * once it has finished, in batches. So the common path writes each job's row once and deletes it once.
 */
@Injectable()
export class JobOutbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly settled = new Map<string, OutboxJobKey>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueueService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /**
   * After the commit that recorded `jobs`: adds them to BullMQ now; when that fails (Redis down or slow) they are
   * left waiting for the relay. Answers whether they got there. Never throws, never waits on Redis longer than a
   * second. Should even marking them fail, the relay's audit of relayed jobs finds them missing from Redis.
   */
  async dispatch(jobs: readonly OutboxJob[]): Promise<boolean> {
    if (jobs.length === 0) return true;
    try {
      // The shared client shares BullMQ's Redis; when it is not connected, adding would only wait.
      if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
      await withTimeout(this.queues.add(jobs), DISPATCH_TIMEOUT_MS);
      return true;
    } catch (error) {
      this.logger.warn({ jobs: jobs.length, error: messageOf(error) }, 'jobs not queued now; the outbox relay will');
      await this.outbox
        .markWaiting(jobs)
        .catch((failure: unknown) => this.logger.warn({ error: messageOf(failure) }, 'could not mark jobs waiting'));
      return false;
    }
  }

  /**
   * `dispatch` for jobs recorded again by a rerun (a normalisation that finds its report already normalised records
   * its follow-up jobs again, in case Redis lost them). Where BullMQ still holds such a job finished, adding it was a
   * no-op and no worker will ever settle the new row, which would then stay in the outbox for good: settle it here.
   */
  async dispatchAgain(jobs: readonly OutboxJob[]): Promise<boolean> {
    if (!(await this.dispatch(jobs))) return false;
    try {
      const pipeline = this.redis.pipeline();
      for (const job of jobs) pipeline.hget(this.queues.jobKey(job), 'finishedOn');
      const answers = (await withTimeout(pipeline.exec(), DISPATCH_TIMEOUT_MS)) ?? [];
      jobs.forEach((job, index) => {
        if (answers[index]?.[1]) this.settle(job);
      });
    } catch (error) {
      // Left for later: the relay's audit settles relayed jobs that BullMQ holds finished.
      this.logger.warn({ jobs: jobs.length, error: messageOf(error) }, 'could not check jobs recorded again');
    }
    return true;
  }

  /** A job has finished (completed, or failed for good): it is never relayed again. */
  settle(key: OutboxJobKey): void {
    this.settled.set(keyOf(key), key);
    this.scheduleFlush();
  }

  /** Settles what finished since the last flush. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    this.flushing = this.writeBack().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Before the database connection closes (on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private scheduleFlush(): void {
    if (this.settled.size >= FLUSH_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  private async writeBack(): Promise<void> {
    const settled = [...this.settled.values()];
    this.settled.clear();
    if (settled.length === 0) return;
    try {
      await this.outbox.settle(settled);
    } catch (error) {
      // Kept for the next try: a finished job left in the outbox would stay there for good, and be run again once
      // BullMQ forgets it (the relay's audit queues relayed jobs missing from Redis) or after a Redis loss.
      for (const key of settled) this.settled.set(keyOf(key), key);
      this.logger.warn(
        { settled: settled.length, error: messageOf(error) },
        'could not settle finished jobs; retrying',
      );
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_RETRY_MS).unref();
    }
  }
}

const keyOf = (key: OutboxJobKey): string => `${key.queue}\u0000${key.jobId}`;

/** An error's message alone: a failed query's error also carries its parameters, which logs must not. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
