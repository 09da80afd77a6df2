// `npm test` (so CI) runs this: `npm audit --omit=dev` must find no high or critical advisory in what production
// installs. Where the registry gives no audit answer (offline, a mirror without the advisories endpoint) it says so
// and skips, rather than failing every run on a machine that cannot ask.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export type AuditOutcome =
  | { outcome: 'passed'; message: string }
  | { outcome: 'failed'; message: string }
  | { outcome: 'skipped'; message: string };

const BLOCKING = ['high', 'critical'] as const;

interface AuditReport {
  error?: { code?: string; summary?: string };
  message?: string;
  statusCode?: number;
  metadata?: { vulnerabilities?: Partial<Record<string, number>> };
  vulnerabilities?: Record<string, { severity?: string }>;
}

/** What `npm audit --json`'s output means for CI. */
export function judgeAudit(output: string): AuditOutcome {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return { outcome: 'skipped', message: 'npm audit gave no JSON answer (registry unreachable?); not checked' };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.message ?? report.error?.summary ?? report.error?.code ?? 'no audit report';
    return { outcome: 'skipped', message: `the registry gave no audit answer (${why}); not checked` };
  }
  const blocking = Object.entries(report.vulnerabilities ?? {})
    .filter(([, finding]) => (BLOCKING as readonly string[]).includes(finding.severity ?? ''))
    .map(([name, finding]) => `${name} (${finding.severity})`);
  const total = BLOCKING.reduce((sum, severity) => sum + (counts[severity] ?? 0), 0);
  if (total > 0 || blocking.length > 0) {
    return {
      outcome: 'failed',
      message: `production dependencies have ${total} high or critical advisories: ${blocking.join(', ')}`,
    };
  }
  const others = counts.total ?? 0;
  return {
    outcome: 'passed',
    message: `no high or critical advisory in production dependencies (${others} lower ones)`,
  };
}

function main(): void {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const verdict = judgeAudit(run.stdout ?? '');
  process.stderr.write(`[vigia] audit: ${verdict.message}\n`);
  if (verdict.outcome === 'failed') process.exit(1);
}

if (require.main === module) main();
