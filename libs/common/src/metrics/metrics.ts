import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, labelled with the app's name, so metrics of the three apps never mix. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function initMetrics(app: string): void {
  if (defaultsCollected) return;
  metricsRegistry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: metricsRegistry });
  defaultsCollected = true;
}

export const httpRequestDuration = new Histogram({
  name: 'vigia_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

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
