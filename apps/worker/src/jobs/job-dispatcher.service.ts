import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { redisConnectionOptions } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  DEFAULT_LOCK_DURATION_MS,
  JOB_FAILURE_HANDLER_METADATA,
  JOB_HANDLER_METADATA,
  JOB_QUEUE,
  JOB_SCHEDULES,
  JobName,
  JobOutbox,
  JobQueueService,
  QueueName,
  jobNamesOf,
  jobOptionsFor,
  queueKeyPrefix,
} from '@vigia/queue';
import { DelayedError, Job, Worker } from 'bullmq';
import { jobDuration, jobsProcessed } from '../worker-metrics';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;
type FailureHandler = (payload: unknown, reason: string, job: Job) => Promise<unknown>;

/** The queues this worker consumes and how many jobs of each it runs at once. */
export const CONSUMED_QUEUES: Partial<Record<QueueName, number>> = {
  [QueueName.Reports]: 4,
  [QueueName.Warnings]: 4,
  // Deliveries mostly wait on receivers (up to the webhook timeout each), so many run at once.
  [QueueName.Webhooks]: 32,
  // Each mail waits on the SMTP server; a few at once keep a digest hour's burst short without flooding it.
  [QueueName.Mail]: 4,
  // Refreshing the analysts' view is database work behind normalisation: one at a time leaves the cores to it.
  [QueueName.Indicators]: 1,
};

/**
 * The queues named by `WORKER_QUEUES`, checked against `CONSUMED_QUEUES`; throws naming what it does not know, so a
 * typo stops the worker at boot instead of leaving a queue without consumers.
 */
export function consumedQueuesNamed(names: readonly string[]): QueueName[] {
  const known = Object.keys(CONSUMED_QUEUES);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`WORKER_QUEUES="${names.join(',')}": each must be one of ${known.join(', ')}`);
  }
  return [...new Set(names)] as QueueName[];
}

/** Which of `CONSUMED_QUEUES` this process consumes (all by default; see `WorkerModule.register`). */
export const WORKER_QUEUES = Symbol('WORKER_QUEUES');

/** Handler names of `jobNames` that nobody registered. */
export function missingHandlers(jobNames: JobName[], registered: ReadonlyMap<JobName, unknown>): JobName[] {
  return jobNames.filter((name) => !registered.has(name));
}

/** Every method of `instances` marked with `metadataKey` (whose value is a job name), bound to its instance. */
export function markedMethods<Method extends (...args: never[]) => unknown>(
  instances: readonly unknown[],
  scanner: MetadataScanner,
  metadataKey: string,
): Map<JobName, Method> {
  const methods = new Map<JobName, Method>();
  for (const instance of instances) {
    if (!instance || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, Method>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const name = Reflect.getMetadata(metadataKey, prototype[method]) as JobName | undefined;
      if (!name) continue;
      if (methods.has(name)) throw new Error(`Two methods marked ${metadataKey} for job ${name}`);
      methods.set(name, (instance as Record<string, Method>)[method].bind(instance) as Method);
    }
  }
  return methods;
}

/**
 * What a job's owner records when BullMQ failed the job without running its handler. BullMQ's own reason ("job
 * stalled more than allowable limit") says nothing to someone who never heard of stalled jobs, hence the count.
 */
export function unhandledFailureReason(job: Pick<Job, 'stalledCounter'>, error: Error): string {
  if (job.stalledCounter === 0) return error.message;
  return `the worker stopped ${job.stalledCounter} times while running it; it was not retried again (${error.message})`;
}

/**
 * Finds every `@JobHandler` and `@JobFailureHandler` method, refuses to start when a job name of a consumed queue
 * has no handler, and runs one BullMQ worker per queue that dispatches jobs by name.
 */
@Injectable()
export class JobDispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private handlers = new Map<JobName, Handler>();
  private failureHandlers = new Map<JobName, FailureHandler>();
  /** Jobs handed to a handler by this process; a failed job not among them failed without its handler running. */
  private readonly dispatched = new WeakSet<Job>();
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_QUEUES) private readonly consumed: QueueName[],
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly outbox: JobOutbox,
    private readonly queues: JobQueueService,
  ) {}

  onApplicationBootstrap(): void {
    const providers = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
    this.handlers = markedMethods<Handler>(providers, this.scanner, JOB_HANDLER_METADATA);
    this.failureHandlers = markedMethods<FailureHandler>(providers, this.scanner, JOB_FAILURE_HANDLER_METADATA);
    const missing = missingHandlers(this.consumed.flatMap(jobNamesOf), this.handlers);
    if (missing.length > 0) {
      throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
    }
    for (const queue of this.consumed) this.workers.push(this.startWorker(queue, this.concurrencyOf(queue)));
    // Not awaited: boot must not wait for Redis, which may be down (BullMQ adds it once Redis answers).
    for (const name of this.consumed.flatMap(jobNamesOf)) void this.keepSchedule(name);
  }

  /** Upserts the job scheduler of a timed job (`JOB_SCHEDULES`); the same id from every worker is one scheduler. */
  private async keepSchedule(name: JobName): Promise<void> {
    const schedule = JOB_SCHEDULES[name];
    if (!schedule) return;
    const { attempts, backoff, removeOnComplete, removeOnFail } = jobOptionsFor(name, {}, this.config.jobs);
    try {
      await this.queues
        .queue(JOB_QUEUE[name])
        .upsertJobScheduler(
          schedule.schedulerId,
          { every: schedule.everyMs },
          { name, data: {}, opts: { attempts, backoff, removeOnComplete, removeOnFail } },
        );
    } catch (error) {
      this.logger.warn({ job: name, err: error }, 'could not schedule a timed job; the next boot tries again');
    }
  }

  /** `WORKER_CONCURRENCY` sets how many reports are normalised at once; other queues keep their own figure. */
  private concurrencyOf(queue: QueueName): number {
    const configured = queue === QueueName.Reports ? this.config.jobs.concurrency : undefined;
    return configured ?? CONSUMED_QUEUES[queue] ?? 1;
  }

  async onApplicationShutdown(): Promise<void> {
    // close() lets running jobs finish; a job cut short by a kill is picked up again as stalled.
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private startWorker(queue: QueueName, concurrency: number): Worker {
    const lockDuration = this.config.jobs.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
    const worker = new Worker(queue, (job) => this.dispatch(queue, job), {
      connection: redisConnectionOptions(this.config.redis.url),
      prefix: queueKeyPrefix(this.config.redis.prefix),
      concurrency,
      // A job whose worker was killed is taken over once its lock lapses; look for such jobs as often.
      lockDuration,
      stalledInterval: lockDuration,
    });
    // A finished job leaves the outbox; one BullMQ will retry stays there, in case Redis loses it meanwhile.
    worker.on('completed', (job) => this.settle(queue, job));
    worker.on('failed', (job, error) => {
      this.logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed');
      if (!job) return;
      // BullMQ fails a job that stalled too often when a worker next takes it, without calling our processor.
      if (!this.dispatched.has(job)) void this.failedUnhandled(queue, job, error);
      void this.settleIfFinal(queue, job);
    });
    worker.on('error', (error) => this.logger.error({ queue, err: error }, 'worker error'));
    return worker;
  }

  private async dispatch(queue: QueueName, job: Job): Promise<unknown> {
    this.dispatched.add(job);
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`Unknown job ${job.name} on queue ${queue}`);
    const stop = jobDuration.startTimer({ queue, job: job.name });
    try {
      const result = await handler(job.data, job);
      jobsProcessed.inc({ queue, job: job.name, outcome: 'completed' });
      return result;
    } catch (error) {
      // A handler that rescheduled its job (webhook retries) throws DelayedError; that is not a failure.
      jobsProcessed.inc({ queue, job: job.name, outcome: error instanceof DelayedError ? 'delayed' : 'failed' });
      throw error;
    } finally {
      stop();
    }
  }

  private settle(queue: QueueName, job: Job): void {
    if (job.id) this.outbox.settle({ queue, jobId: job.id });
  }

  /** A failed job that BullMQ will not retry (attempts used up, unrecoverable, stalled too often) is finished. */
  private async settleIfFinal(queue: QueueName, job: Job): Promise<void> {
    try {
      if (await job.isFailed()) this.settle(queue, job);
    } catch (error) {
      this.logger.warn({ queue, jobId: job.id, err: error }, 'could not read a failed job’s state');
    }
  }

  /** Lets the job's owner record a failure its handler never saw (a job may have no failure handler). */
  private async failedUnhandled(queue: QueueName, job: Job, error: Error): Promise<void> {
    jobsProcessed.inc({ queue, job: job.name, outcome: 'failed' });
    const onFailure = this.failureHandlers.get(job.name as JobName);
    if (!onFailure) return;
    try {
      await onFailure(job.data, unhandledFailureReason(job, error), job);
    } catch (failure) {
      this.logger.error({ queue, job: job.name, jobId: job.id, err: failure }, 'could not record a failed job');
    }
  }
}
