import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { OutboxRepository } from '@vigia/database';
import Redis from 'ioredis';
import { messageOf, withTimeout } from './job-outbox.service';
import { JobQueueService } from './job-queue.service';

const RELAY_BATCH = 500;

/** The key whose absence tells the relay that Redis lost its data (restarted empty, flushed). */
export const outboxMarkerKey = (prefix: string): string => `${prefix}:outbox:marker`;

/**
 * Relays outbox jobs that did not reach BullMQ right after their commit (Redis was down or slow, the producer died),
 * and, when Redis has lost its data, every job not yet finished. Runs in each app; relays share the work through
 * row locks (SKIP LOCKED), and BullMQ's job ids keep a job relayed twice one job.
 *
 * Loss detection: a marker key is set when absent; finding it absent means Redis is new or emptied, so whatever
 * was relayed before may be gone.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueueService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.relayOnce(), this.config.outbox.relayIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (a pass already running is joined); answers how many jobs were relayed. */
  relayOnce(): Promise<number> {
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
      if (relayed > 0) this.logger.log({ relayed }, 'outbox jobs relayed');
      return relayed;
    } catch (error) {
      this.logger.warn({ error: messageOf(error) }, 'outbox relay pass failed; next pass retries');
      return 0;
    }
  }

  private async noticeDataLoss(): Promise<void> {
    const created = await this.redis.set(outboxMarkerKey(this.config.redis.prefix), new Date().toISOString(), 'NX');
    if (created !== 'OK') return;
    const unmarked = await this.outbox.unmarkRelayed();
    if (unmarked > 0) this.logger.warn({ jobs: unmarked }, 'Redis lost its data; relaying unfinished jobs again');
  }
}
