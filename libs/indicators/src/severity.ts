/** How bad an incident is for the affected constituency, as judged by the reporter. */
export enum Severity {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
  Critical = 'critical',
}

export const SEVERITIES: readonly Severity[] = Object.values(Severity);

const SEVERITY_RANKS: Readonly<Record<Severity, number>> = {
  [Severity.Low]: 0,
  [Severity.Medium]: 1,
  [Severity.High]: 2,
  [Severity.Critical]: 3,
};

/** Position from least to most severe (low 0 … critical 3), for "at least" filters; unknown text ranks lowest. */
export function severityRank(severity: string): number {
  return SEVERITY_RANKS[severity as Severity] ?? -1;
}
