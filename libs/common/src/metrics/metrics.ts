import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
