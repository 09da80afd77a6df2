import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, jobOptionsFor } from './jobs';

/** Typed enqueueing: the payload must match the job name, and the queue follows from it. */
@Injectable()
export class JobQueueService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Reports) reports: Queue,
    @InjectQueue(QueueName.Warnings) warnings: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
  ) {
    this.queues = { [QueueName.Reports]: reports, [QueueName.Warnings]: warnings, [QueueName.Webhooks]: webhooks };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<string> {
    const job = await this.queues[JOB_QUEUE[name]].add(name, payload, jobOptionsFor(name, options, this.config.jobs));
    return job.id ?? '';
  }

  /** Many jobs of one name in one round trip (`addBulk`). */
  async enqueueMany<N extends JobName>(
    name: N,
    jobs: { payload: JobPayloads[N]; options?: JobsOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queues[JOB_QUEUE[name]].addBulk(
      jobs.map(({ payload, options }) => ({ name, data: payload, opts: jobOptionsFor(name, options) })),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
