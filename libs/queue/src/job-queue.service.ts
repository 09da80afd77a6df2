import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, jobOptionsFor } from './jobs';

/** Typed enqueueing: the payload must match the job name, and the queue follows from it. */
@Injectable()
export class JobQueueService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QueueName.Reports) reports: Queue) {
    this.queues = { [QueueName.Reports]: reports };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<string> {
    const job = await this.queues[JOB_QUEUE[name]].add(name, payload, jobOptionsFor(name, options));
    return job.id ?? '';
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
