import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue Vigia uses. */
export enum QueueName {
  Reports = 'reports',
  Webhooks = 'webhooks',
}

/** Every job name; each belongs to one queue (`JOB_QUEUE`) and has a payload type below. */
export enum JobName {
  NormaliseReport = 'normalise-report',
  DeliverWebhook = 'deliver-webhook',
}

/** Turn an accepted incident report into STIX; job id = report id, so a retried enqueue never duplicates. */
export interface NormaliseReportPayload {
  reportId: string;
  /** Correlation id of the submission, carried into the worker's logs. */
  requestId?: string;
}

/** Send one webhook delivery (a row of `webhook_deliveries`); job id = `deliveryJobId(...)`. */
export interface DeliverWebhookPayload {
  deliveryId: string;
}

export interface JobPayloads {
  [JobName.NormaliseReport]: NormaliseReportPayload;
  [JobName.DeliverWebhook]: DeliverWebhookPayload;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.NormaliseReport]: QueueName.Reports,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
};

/**
 * One job per delivery (the same job is delayed between its retries), and a new one per replay. BullMQ refuses
 * ':' in custom ids, hence '-'.
 */
export const deliveryJobId = (deliveryId: string, replay = 0): string =>
  replay === 0 ? `delivery-${deliveryId}` : `delivery-${deliveryId}-replay-${replay}`;

/** Defaults for every job: retried with exponential backoff, failures kept for inspection and replay. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/** Per-job deviations from the defaults, in this one place. */
export const JOB_OPTIONS: Partial<Record<JobName, JobsOptions>> = {
  // The delivery row is the record of what happened; the handler schedules the webhook's own retries, so BullMQ's
  // attempts only cover the worker failing (database down...). Finished jobs are many and need not stay long.
  [JobName.DeliverWebhook]: { removeOnComplete: { age: 3600, count: 10_000 } },
};

export const jobOptionsFor = (name: JobName, overrides: JobsOptions = {}): JobsOptions => ({
  ...DEFAULT_JOB_OPTIONS,
  ...JOB_OPTIONS[name],
  ...overrides,
});

export const jobNamesOf = (queue: QueueName): JobName[] =>
  (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
