import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, jobOptionsFor } from './jobs';

/** Typed enqueueing: the payload must match the job name, and the queue follows from it. */
@Injectable()
export class JobQueueService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QueueName.Reports) reports: Queue, @InjectQueue(QueueName.Webhooks) webhooks: Queue) {
    this.queues = { [QueueName.Reports]: reports, [QueueName.Webhooks]: webhooks };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<string> {
    const job = await this.queues[JOB_QUEUE[name]].add(name, payload, jobOptionsFor(name, options));
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
