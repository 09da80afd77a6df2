import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue Vigia uses. */
export enum QueueName {
  Reports = 'reports',
}

/** Every job name; each belongs to one queue (`JOB_QUEUE`) and has a payload type below. */
export enum JobName {
  NormaliseReport = 'normalise-report',
}

/** Turn an accepted incident report into STIX; job id = report id, so a retried enqueue never duplicates. */
export interface NormaliseReportPayload {
  reportId: string;
  /** Correlation id of the submission, carried into the worker's logs. */
  requestId?: string;
}

export interface JobPayloads {
  [JobName.NormaliseReport]: NormaliseReportPayload;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.NormaliseReport]: QueueName.Reports,
};

/** Defaults for every job: retried with exponential backoff, failures kept for inspection and replay. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/** Per-job deviations from the defaults, in this one place. */
export const JOB_OPTIONS: Partial<Record<JobName, JobsOptions>> = {};

export const jobOptionsFor = (name: JobName, overrides: JobsOptions = {}): JobsOptions => ({
  ...DEFAULT_JOB_OPTIONS,
  ...JOB_OPTIONS[name],
  ...overrides,
});

export const jobNamesOf = (queue: QueueName): JobName[] =>
  (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
