import { IndicatorType } from './indicator-type';
import { readRawIndicator } from './raw-value';
import { decayFactor, decayTable, indicatorScore } from './score';

describe('readRawIndicator', () => {
  it.each([
    ['hxxp://evil[.]com/a?b=1', IndicatorType.Url, 'http://evil.com/a?b=1'],
    ['EVIL.com', IndicatorType.Domain, 'evil.com'],
    ['evil[.]com:8443', IndicatorType.Domain, 'evil.com'],
    ['Evil.com/login.php', IndicatorType.Url, 'http://evil.com/login.php'],
    ['198.51.100[.]7:443', IndicatorType.Ipv4, '198.51.100.7'],
    ['198.51.100.0/24', IndicatorType.Ipv4, '198.51.100.0/24'],
    ['198.51.100.7/index.html', IndicatorType.Ipv4, '198.51.100.7'],
    ['[2001:DB8::0:1]:443', IndicatorType.Ipv6, '2001:db8::1'],
    ['2001:0db8::1', IndicatorType.Ipv6, '2001:db8::1'],
    ['Phish@Evil[.]COM', IndicatorType.Email, 'Phish@evil.com'],
    ['D41D8CD98F00B204E9800998ECF8427E', IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427e'],
    ['cve-2024-3094', IndicatorType.Cve, 'CVE-2024-3094'],
    ['AS64500', IndicatorType.Asn, '64500'],
  ])('%s is %s %s', (raw, type, value) => {
    expect(readRawIndicator(raw)).toMatchObject({ ok: true, type, value });
  });

  it('names the host of URLs and e-mail addresses', () => {
    expect(readRawIndicator('https://Sub.Evil.com/x')).toMatchObject({ host: 'sub.evil.com' });
    expect(readRawIndicator('a@b.example')).toMatchObject({ host: 'b.example' });
  });

  it('refuses what is no indicator, with the reason', () => {
    expect(readRawIndicator('not a value')).toMatchObject({ ok: false });
    expect(readRawIndicator('999.1.1.1')).toMatchObject({ ok: false });
    expect(readRawIndicator('example.com', IndicatorType.Ipv4)).toMatchObject({ ok: false });
  });
});

describe('indicator score', () => {
  const decay = decayTable({ ip: 30, domain: 90, url: 60, email: 180, asn: 365, hash: 0, cve: 0 });
  const now = new Date('2026-12-01T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const inputs = {
    type: 'domain',
    confidence: 60,
    orgCount: 1,
    sightingOrgCount: 0,
    confirmedOrgCount: 0,
    falsePositiveOrgCount: 0,
    lastSeen: now,
  };

  it('rises with corroboration and falls with false positives', () => {
    expect(indicatorScore(inputs, decay, now)).toBe(60);
    expect(indicatorScore({ ...inputs, orgCount: 3, sightingOrgCount: 1 }, decay, now)).toBe(85);
    expect(indicatorScore({ ...inputs, falsePositiveOrgCount: 2 }, decay, now)).toBe(0);
    expect(indicatorScore({ ...inputs, falsePositiveOrgCount: 1 }, decay, now)).toBe(30);
  });

  it('decays per type over its lifetime, never for hashes', () => {
    expect(indicatorScore({ ...inputs, lastSeen: daysAgo(45) }, decay, now)).toBe(30);
    expect(indicatorScore({ ...inputs, lastSeen: daysAgo(90) }, decay, now)).toBe(0);
    expect(indicatorScore({ ...inputs, type: 'ipv4', lastSeen: daysAgo(7.5) }, decay, now)).toBe(30);
    expect(indicatorScore({ ...inputs, type: 'sha256', lastSeen: daysAgo(900) }, decay, now)).toBe(60);
    expect(decayFactor(10, 0, 1)).toBe(1);
  });
});
