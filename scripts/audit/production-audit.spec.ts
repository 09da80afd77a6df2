import { judgeAudit } from './production-audit';

const report = (vulnerabilities: Record<string, { severity: string }>, counts: Record<string, number>) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } });

describe('production audit verdict', () => {
  it('passes with only low and moderate advisories', () => {
    const verdict = judgeAudit(
      report({ a: { severity: 'low' } }, { info: 0, low: 1, moderate: 0, high: 0, critical: 0, total: 1 }),
    );
    expect(verdict).toEqual({ outcome: 'passed', message: expect.stringContaining('1 lower') });
  });

  it('fails on a high or critical advisory, naming the packages', () => {
    const verdict = judgeAudit(
      report(
        { a: { severity: 'high' }, b: { severity: 'critical' }, c: { severity: 'moderate' } },
        { info: 0, low: 0, moderate: 1, high: 1, critical: 1, total: 3 },
      ),
    );
    expect(verdict.outcome).toBe('failed');
    expect(verdict.message).toContain('2 high or critical advisories: a (high), b (critical)');
  });

  it('skips, saying why, when the registry gives no audit answer', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    expect(judgeAudit(refused)).toEqual({ outcome: 'skipped', message: expect.stringContaining('405 Method') });
    expect(judgeAudit(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo' } }))).toEqual({
      outcome: 'skipped',
      message: expect.stringContaining('getaddrinfo'),
    });
    expect(judgeAudit('')).toMatchObject({ outcome: 'skipped' });
  });
});
