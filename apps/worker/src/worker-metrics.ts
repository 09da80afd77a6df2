import { metricsRegistry } from '@vigia/common';
import { Counter, Histogram } from 'prom-client';

// The worker's own metrics, in the shared registry so its /metrics serves them beside the process defaults.

export const jobsProcessed = new Counter({
  name: 'vigia_jobs_processed_total',
  help: 'Jobs processed by queue, job name and outcome',
  labelNames: ['queue', 'job', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'vigia_job_duration_seconds',
  help: 'Job processing time by queue and job name',
  labelNames: ['queue', 'job'] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

export const indicatorsNormalised = new Counter({
  name: 'vigia_indicators_normalised_total',
  help: 'Distinct indicator values normalised into STIX, by outcome: created (first report) or updated',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const indicatorsSuppressed = new Counter({
  name: 'vigia_indicators_suppressed_total',
  help: 'Indicator values normalised while on a warninglist: stored, never fanned out',
  registers: [metricsRegistry],
});

export const warningsFannedOut = new Counter({
  name: 'vigia_warnings_total',
  help: 'Early warnings handed to a channel (one per recipient organisation and channel target)',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});
