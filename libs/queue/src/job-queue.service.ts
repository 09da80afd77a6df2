import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { OutboxJob, OutboxJobKey } from '@vigia/database';
import type { JobsOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, jobOptionsFor } from './jobs';

/** How many jobs of one queue are in each state. */
export interface QueueDepth {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * BullMQ's queues, with every job's options from `jobOptionsFor`. Producers do not add jobs here: they record them in
 * the outbox (`JobOutbox`), which adds them through `add`.
 */
@Injectable()
export class JobQueueService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.Reports) reports: Queue,
    @InjectQueue(QueueName.Warnings) warnings: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Indicators) indicators: Queue,
  ) {
    this.queues = {
      [QueueName.Reports]: reports,
      [QueueName.Warnings]: warnings,
      [QueueName.Webhooks]: webhooks,
      [QueueName.Mail]: mail,
      [QueueName.Indicators]: indicators,
    };
  }

  /** One job, typed: the payload must match the job name, and the queue follows from it. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<string> {
    const job = await this.queues[JOB_QUEUE[name]].add(name, payload, jobOptionsFor(name, options, this.config.jobs));
    return job.id ?? '';
  }

  /** Outbox jobs, one round trip per queue (`addBulk`); the job id makes adding one again a no-op. */
  async add(jobs: readonly OutboxJob[]): Promise<void> {
    const [single] = jobs;
    if (jobs.length === 1 && single) {
      // One job (a submission's normalisation) is cheaper through `add` than a one-element `addBulk`.
      const options = jobOptionsFor(single.name as JobName, { jobId: single.jobId }, this.config.jobs);
      await this.queues[single.queue as QueueName].add(single.name, single.payload, options);
      return;
    }
    const byQueue = new Map<QueueName, OutboxJob[]>();
    for (const job of jobs) {
      const queue = job.queue as QueueName;
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
    }
    await Promise.all(
      [...byQueue].map(([queue, queued]) =>
        this.queues[queue].addBulk(
          queued.map((job) => ({
            name: job.name,
            data: job.payload,
            opts: jobOptionsFor(job.name as JobName, { jobId: job.jobId }, this.config.jobs),
          })),
        ),
      ),
    );
  }

  /** The Redis key BullMQ keeps a job under (with the configured prefix). */
  jobKey(job: OutboxJobKey): string {
    return this.queues[job.queue as QueueName].toKey(job.jobId);
  }

  /** Jobs waiting, running, delayed (retries, schedules) and failed for good, per queue: counts only. */
  async depths(): Promise<QueueDepth[]> {
    return Promise.all(
      Object.values(QueueName).map(async (name) => {
        const counts = await this.queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed');
        return {
          queue: name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
