/**
 * Reports submitted from this browser, newest first (ingest has no list of an organisation's reports yet; the home
 * page follows these by their status URL).
 */
const KEY = 'vigia.recentReports';
const KEEP = 20;

export interface RecentReport {
  id: string;
  title: string;
  submittedAt: string;
}

export function recentReports(): RecentReport[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(stored) ? (stored as RecentReport[]) : [];
  } catch {
    return [];
  }
}

export function rememberReport(report: RecentReport): void {
  const others = recentReports().filter((known) => known.id !== report.id);
  localStorage.setItem(KEY, JSON.stringify([report, ...others].slice(0, KEEP)));
}
