import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { OutboxJob, OutboxJobKey, OutboxRepository } from '@vigia/database';
import Redis from 'ioredis';
import { JobQueueService } from './job-queue.service';
import { JOB_QUEUE, JobName, JobPayloads } from './jobs';

/** How long an immediate relay may wait for Redis before the outbox relay is left to do it. */
const DISPATCH_TIMEOUT_MS = 1000;
/** Relayed and settled jobs are written back in batches this often (the outbox relay waits longer than this). */
const FLUSH_INTERVAL_MS = 100;
const FLUSH_BATCH = 1000;

/** A typed outbox job: the queue follows from the job name, the payload must match it. */
export function outboxJob<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): OutboxJob {
  return { queue: JOB_QUEUE[name], name, jobId, payload };
}

/**
 * The producer's side of the outbox. Jobs are recorded by repositories in the producer's own transaction (build
 * them with `outboxJob`); once it has committed, `dispatch` hands them to BullMQ at once, and what does not get
 * there is relayed later by `OutboxRelay`. The worker `settle`s a job once it has finished. Writes back to the outbox
 * are batched, so the common path costs no extra round trip per job.
 */
@Injectable()
export class JobOutbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly relayed = new Map<string, OutboxJobKey>();
  private readonly settled = new Map<string, OutboxJobKey>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueueService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /**
   * After the commit that recorded `jobs`: adds them to BullMQ now. True when they got there; false leaves them to
   * the relay (Redis down or slow). Never throws and never waits on Redis longer than a second.
   */
  async dispatch(jobs: readonly OutboxJob[]): Promise<boolean> {
    if (jobs.length === 0) return true;
    // The shared client shares BullMQ's Redis; when it is not connected, adding would only wait.
    if (this.redis.status !== 'ready') return false;
    try {
      await withTimeout(this.queues.add(jobs), DISPATCH_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn({ jobs: jobs.length, error: messageOf(error) }, 'jobs not queued now; the outbox relay will');
      return false;
    }
    for (const job of jobs) this.relayed.set(keyOf(job), job);
    this.scheduleFlush();
    return true;
  }

  /** A job has finished (completed, or failed for good): it is never relayed again. */
  settle(key: OutboxJobKey): void {
    this.settled.set(keyOf(key), key);
    this.scheduleFlush();
  }

  /** Writes back what was relayed and settled since the last flush. */
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
    if (this.relayed.size + this.settled.size >= FLUSH_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  private async writeBack(): Promise<void> {
    const relayed = take(this.relayed);
    const settled = take(this.settled);
    try {
      // Settled last: a job may finish before its relay was written back.
      await this.outbox.markRelayed(relayed);
      await this.outbox.settle(settled);
    } catch (error) {
      // Harmless to lose: an unmarked job is relayed again (BullMQ keeps one job per id), an unsettled one too.
      this.logger.warn(
        { relayed: relayed.length, settled: settled.length, error: messageOf(error) },
        'outbox write-back failed',
      );
    }
  }
}

const keyOf = (key: OutboxJobKey): string => `${key.queue}\u0000${key.jobId}`;

function take(pending: Map<string, OutboxJobKey>): OutboxJobKey[] {
  const keys = [...pending.values()];
  pending.clear();
  return keys;
}

/** An error's message alone: a failed query's error also carries its parameters, which logs must not. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
