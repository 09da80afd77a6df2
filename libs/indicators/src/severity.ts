/** How bad an incident is for the affected constituency, as judged by the reporter. */
export enum Severity {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
  Critical = 'critical',
}

export const SEVERITIES: readonly Severity[] = Object.values(Severity);
