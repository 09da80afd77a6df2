import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { REDIS_CLIENT, withTimeout } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { OutboxJob, OutboxRepository } from '@vigia/database';
import Redis from 'ioredis';
import { messageOf } from './job-outbox.service';
import { queueKeyPrefix } from './queue-keys';
import { JobQueueService } from './job-queue.service';

const RELAY_BATCH = 500;
/** Jobs relayed this long ago and not finished are checked against Redis, this often. */
const AUDIT_AFTER_MS = 60_000;
const AUDIT_EVERY_MS = 30_000;

/** How long boot waits for Redis to connect before its first data-loss check. */
const BOOT_WAIT_MS = 3000;

/**
 * The key whose absence tells the relay that Redis lost its data (restarted empty, flushed). It shares the queues'
 * hash tag, so on a Redis Cluster it sits on the node that holds the jobs and is lost with them.
 */
export const outboxMarkerKey = (redisPrefix: string): string => `${queueKeyPrefix(redisPrefix)}:outbox:marker`;

/**
 * Relays outbox jobs that did not reach BullMQ right after their commit (Redis was down or slow), and, when Redis has
 * lost its data, every job not yet finished. Runs in each app; relays share the work through row locks (SKIP
 * LOCKED), and BullMQ's job ids keep a job relayed twice one job.
 *
 * - Loss detection, at boot and every pass: a marker key is set when absent; finding it absent means Redis is new or
 *   emptied, so whatever was relayed before may be gone.
 * - Audit, every `AUDIT_EVERY_MS`: jobs counted as relayed long ago and not finished are looked up in Redis and
 *   queued again if missing (their producer died between its commit and its relay).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private lastAudit = Date.now();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueueService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /** Before the app takes work: jobs counted as relayed before a Redis loss must not wait for the first pass. */
  async onApplicationBootstrap(): Promise<void> {
    // When Redis does not answer at boot, nothing can be relayed into it either; the first pass checks.
    if (await ready(this.redis, BOOT_WAIT_MS)) {
      await this.noticeDataLoss().catch((error: unknown) =>
        this.logger.warn({ error: messageOf(error) }, 'could not check Redis for data loss'),
      );
    }
    this.timer = setInterval(() => void this.relayOnce(), this.config.outbox.relayIntervalMs);
    this.timer.unref();
  }

  /** Before the database connection closes: no pass may start or be left running after it. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (a pass already running is joined); answers how many jobs were relayed. */
  relayOnce(): Promise<number> {
    if (this.stopping) return Promise.resolve(0);
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    if (this.redis.status !== 'ready') return 0;
    try {
      await this.noticeDataLoss();
      let relayed = 0;
      for (;;) {
        const count = await this.outbox.relayWaiting(RELAY_BATCH, this.config.outbox.relayIntervalMs, (jobs) =>
          withTimeout(this.queues.add(jobs), 10_000),
        );
        relayed += count;
        if (count < RELAY_BATCH) break;
      }
      if (Date.now() - this.lastAudit >= AUDIT_EVERY_MS) {
        this.lastAudit = Date.now();
        relayed += await this.auditOnce();
      }
      if (relayed > 0) this.logger.log({ relayed }, 'outbox jobs relayed');
      return relayed;
    } catch (error) {
      this.logger.warn({ error: messageOf(error) }, 'outbox relay pass failed; next pass retries');
      return 0;
    }
  }

  /**
   * Queues the jobs counted as relayed long ago that Redis does not hold, and settles those it holds finished (their
   * worker died before settling them); answers how many were queued again.
   */
  async auditOnce(): Promise<number> {
    let requeued = 0;
    let settled = 0;
    await this.outbox.auditRelayed(RELAY_BATCH, AUDIT_AFTER_MS, async (jobs) => {
      const { missing, finished } = await this.inRedis(jobs);
      if (missing.length > 0) await withTimeout(this.queues.add(missing), 10_000);
      requeued = missing.length;
      settled = finished.length;
      return finished;
    });
    if (requeued > 0) this.logger.warn({ jobs: requeued }, 'relayed jobs missing from Redis; queued again');
    if (settled > 0) this.logger.warn({ jobs: settled }, 'finished jobs left unsettled; settled');
    return requeued;
  }

  /** Those of these jobs that BullMQ does not hold, in any state, and those it holds finished. */
  private async inRedis(jobs: OutboxJob[]): Promise<{ missing: OutboxJob[]; finished: OutboxJob[] }> {
    const pipeline = this.redis.pipeline();
    for (const job of jobs) pipeline.hget(this.queues.jobKey(job), 'finishedOn').exists(this.queues.jobKey(job));
    const answers = (await pipeline.exec()) ?? [];
    return {
      missing: jobs.filter((_, index) => answers[2 * index + 1]?.[1] !== 1),
      finished: jobs.filter((_, index) => Boolean(answers[2 * index]?.[1])),
    };
  }

  private async noticeDataLoss(): Promise<void> {
    const created = await this.redis.set(outboxMarkerKey(this.config.redis.prefix), new Date().toISOString(), 'NX');
    if (created !== 'OK') return;
    const unmarked = await this.outbox.markAllWaiting();
    if (unmarked > 0) this.logger.warn({ jobs: unmarked }, 'Redis lost its data; relaying unfinished jobs again');
  }
}

/** Resolves true once the client is connected, false after `ms`. */
function ready(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
