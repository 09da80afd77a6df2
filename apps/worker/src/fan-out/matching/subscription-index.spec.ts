import { IndicatorType, Severity, TlpLevel } from '@vigia/indicators';
import { SubscriptionIndex } from './subscription-index';
import { SubscriptionRule, WarningCandidate, WarningReport } from './subscription-rule';

const REPORTER = 'org-reporter';

const rule = (id: string, overrides: Partial<SubscriptionRule> = {}): SubscriptionRule => ({
  id,
  organisationId: `org-${id}`,
  indicatorTypes: [],
  classifications: [],
  minSeverity: null,
  minConfidence: null,
  countries: [],
  sectors: [],
  minOrgCount: null,
  minScore: null,
  constituency: { cidrs: [], asns: [], domains: [] },
  includeOwnReports: false,
  acceptsRed: false,
  ...overrides,
});

const report = (overrides: Partial<WarningReport> = {}): WarningReport => ({
  id: 'report-1',
  organisationId: REPORTER,
  classification: 'malicious-code',
  severity: 'high',
  tlp: TlpLevel.Green,
  tlpRecipients: [],
  countries: ['UY'],
  sectors: ['finance'],
  ...overrides,
});

const candidate = (
  type: IndicatorType,
  value: string,
  overrides: Partial<WarningCandidate> = {},
): WarningCandidate => ({
  indicatorId: `indicator--${value}`,
  type,
  value,
  confidence: 80,
  orgCountFor: () => 1,
  score: 50,
  report: report(),
  ...overrides,
});

const ids = (index: SubscriptionIndex, c: WarningCandidate) =>
  index
    .match(c)
    .map((r) => r.id)
    .sort();

describe('SubscriptionIndex', () => {
  it('filters by indicator type, classification, severity, confidence, org count, countries and sectors', () => {
    const index = new SubscriptionIndex([
      rule('all'),
      rule('ips', { indicatorTypes: [IndicatorType.Ipv4] }),
      rule('fraud', { classifications: ['fraud'] }),
      rule('critical', { minSeverity: Severity.Critical }),
      rule('sure', { minConfidence: 90 }),
      rule('corroborated', { minOrgCount: 2 }),
      rule('argentina', { countries: ['AR'] }),
      rule('finance', { sectors: ['finance', 'energy'] }),
    ]);
    expect(ids(index, candidate(IndicatorType.Ipv4, '203.0.113.9'))).toEqual(['all', 'finance', 'ips']);
    expect(
      ids(index, candidate(IndicatorType.Domain, 'bad.example', { orgCountFor: () => 3, confidence: 95 })),
    ).toEqual(['all', 'corroborated', 'finance', 'sure']);
    expect(ids(index, candidate(IndicatorType.Md5, 'a'.repeat(32), { confidence: null }))).toEqual(['all', 'finance']);
  });

  it('filters by minimum score; an indicator whose score is not known yet counts as 0', () => {
    const index = new SubscriptionIndex([rule('any'), rule('scored', { minScore: 40 })]);
    expect(ids(index, candidate(IndicatorType.Ipv4, '203.0.113.9', { score: 40 }))).toEqual(['any', 'scored']);
    expect(ids(index, candidate(IndicatorType.Ipv4, '203.0.113.9', { score: 39 }))).toEqual(['any']);
    expect(ids(index, candidate(IndicatorType.Ipv4, '203.0.113.9', { score: null }))).toEqual(['any']);
  });

  it('matches a constituency by CIDR (either way round), ASN and domain suffix, and nothing outside it', () => {
    const index = new SubscriptionIndex([
      rule('uy-net', { constituency: { cidrs: ['198.51.100.0/24', '2001:db8::/32'], asns: [], domains: [] } }),
      rule('uy-asn', { constituency: { cidrs: [], asns: [64496], domains: [] } }),
      rule('gub-uy', { constituency: { cidrs: [], asns: [], domains: ['gub.uy'] } }),
    ]);
    expect(ids(index, candidate(IndicatorType.Ipv4, '198.51.100.7'))).toEqual(['uy-net']);
    expect(ids(index, candidate(IndicatorType.Ipv4, '198.51.0.0/16'))).toEqual(['uy-net']);
    expect(ids(index, candidate(IndicatorType.Ipv6, '2001:db8:5::1'))).toEqual(['uy-net']);
    expect(ids(index, candidate(IndicatorType.Ipv4, '203.0.113.9'))).toEqual([]);
    expect(ids(index, candidate(IndicatorType.Asn, '64496'))).toEqual(['uy-asn']);
    expect(ids(index, candidate(IndicatorType.Domain, 'mail.presidencia.gub.uy'))).toEqual(['gub-uy']);
    expect(ids(index, candidate(IndicatorType.Domain, 'gub.uy'))).toEqual(['gub-uy']);
    expect(ids(index, candidate(IndicatorType.Domain, 'notgub.uy'))).toEqual([]);
    expect(ids(index, candidate(IndicatorType.Url, 'https://tramites.gub.uy/login'))).toEqual(['gub-uy']);
    expect(ids(index, candidate(IndicatorType.Url, 'http://198.51.100.9/x'))).toEqual(['uy-net']);
    expect(ids(index, candidate(IndicatorType.Email, 'ceo@gub.uy'))).toEqual(['gub-uy']);
    expect(ids(index, candidate(IndicatorType.Sha256, 'b'.repeat(64)))).toEqual([]);
  });

  it('keeps the constituency and the other filters together', () => {
    const index = new SubscriptionIndex([
      rule('uy-ips', {
        indicatorTypes: [IndicatorType.Ipv4],
        minSeverity: Severity.High,
        constituency: { cidrs: ['198.51.100.0/24'], asns: [], domains: ['gub.uy'] },
      }),
    ]);
    expect(ids(index, candidate(IndicatorType.Ipv4, '198.51.100.7'))).toEqual(['uy-ips']);
    expect(ids(index, candidate(IndicatorType.Domain, 'x.gub.uy'))).toEqual([]);
    expect(ids(index, candidate(IndicatorType.Ipv4, '198.51.100.7', { report: report({ severity: 'low' }) }))).toEqual(
      [],
    );
  });

  describe('sharing: each level × audience × reporter / recipient / other organisation', () => {
    const index = new SubscriptionIndex([
      rule('reporter', { organisationId: REPORTER }),
      rule('reporter-own', { organisationId: REPORTER, includeOwnReports: true, acceptsRed: true }),
      rule('recipient', { organisationId: 'org-recipient' }),
      rule('recipient-red', { organisationId: 'org-recipient', acceptsRed: true }),
      rule('other', { organisationId: 'org-other' }),
      rule('other-red', { organisationId: 'org-other', acceptsRed: true }),
    ]);
    it.each([
      [TlpLevel.Clear, [], ['other', 'other-red', 'recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.Green, [], ['other', 'other-red', 'recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.Amber, [], ['other', 'other-red', 'recipient', 'recipient-red', 'reporter-own']],
      // AMBER+STRICT to the whole network: every member's organisation, no further.
      [TlpLevel.AmberStrict, [], ['other', 'other-red', 'recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.Clear, ['org-recipient'], ['recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.Green, ['org-recipient'], ['recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.Amber, ['org-recipient'], ['recipient', 'recipient-red', 'reporter-own']],
      [TlpLevel.AmberStrict, ['org-recipient'], ['recipient', 'recipient-red', 'reporter-own']],
      // RED: only the named recipients, and only through subscriptions that accept RED.
      [TlpLevel.Red, ['org-recipient'], ['recipient-red', 'reporter-own']],
      // RED names its recipients: without any it stays with its owner.
      [TlpLevel.Red, [], ['reporter-own']],
    ])('%s shared with %j reaches %j', (tlp, recipients, expected) => {
      const c = candidate(IndicatorType.Ipv4, '203.0.113.9', {
        report: report({ tlp, tlpRecipients: recipients }),
      });
      expect(ids(index, c)).toEqual(expected);
    });
  });

  it('finds exactly what a subscription-by-subscription scan finds, over 1,000 subscriptions', () => {
    const types = Object.values(IndicatorType);
    const rules = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0
        ? rule(`s${i}`, { indicatorTypes: [types[i % types.length]!] })
        : rule(`s${i}`, {
            constituency: {
              cidrs: [`10.${i % 256}.0.0/16`],
              asns: [64_000 + (i % 50)],
              domains: [`c${i % 30}.example`],
            },
          }),
    );
    const index = new SubscriptionIndex(rules);
    const hasConstituency = ({ constituency: k }: SubscriptionRule): boolean =>
      k.cidrs.length + k.asns.length + k.domains.length > 0;
    const inConstituency = (r: SubscriptionRule, c: WarningCandidate): boolean => {
      const k = r.constituency;
      if (c.type === IndicatorType.Ipv4)
        return k.cidrs.some((cidr) => c.value.startsWith(cidr.split('.').slice(0, 2).join('.') + '.'));
      if (c.type === IndicatorType.Asn) return k.asns.includes(Number(c.value));
      if (c.type === IndicatorType.Domain) return k.domains.some((d) => c.value === d || c.value.endsWith(`.${d}`));
      return false;
    };
    const scan = (c: WarningCandidate) =>
      rules
        .filter((r) => (hasConstituency(r) ? inConstituency(r, c) : r.indicatorTypes.includes(c.type)))
        .map((r) => r.id)
        .sort();
    const candidates = [
      ...Array.from({ length: 40 }, (_, i) => candidate(IndicatorType.Ipv4, `10.${i * 7}.1.${i}`)),
      ...Array.from({ length: 40 }, (_, i) => candidate(IndicatorType.Domain, `www.c${i}.example`)),
      ...Array.from({ length: 20 }, (_, i) => candidate(IndicatorType.Asn, String(64_000 + i * 3))),
    ];
    for (const c of candidates) expect(ids(index, c)).toEqual(scan(c));
  });
});
