import { NETWORK_AUDIENCE } from '@vigia/sharing';
import { ErrorCode, VigiaException } from '@vigia/common';
import { IndicatorType } from '@vigia/indicators';
import { indicatorIdForPattern, stixPatternFor, vulnerabilityIdForCve } from '@vigia/stix';
import { ReportIndicatorRow, reportIndicatorRow, reportedValues, stixIdForValue } from './reported-values.mapper';

const report = {
  firstSeen: new Date('2026-11-20T08:00:00Z'),
  lastSeen: new Date('2026-11-22T18:30:00Z'),
  receivedAt: new Date('2026-11-23T10:00:00Z'),
};

const row = (overrides: Partial<ReportIndicatorRow>): ReportIndicatorRow => ({
  type: 'ipv4',
  value: '203.0.113.9',
  is_cidr: false,
  first_seen: null,
  last_seen: null,
  confidence: null,
  note: null,
  ...overrides,
});

describe('reportedValues', () => {
  it('gives each value its deterministic STIX id and the report times when it has none', () => {
    const [value] = reportedValues([row({ confidence: 80, note: 'c2' })], report, NETWORK_AUDIENCE);
    expect(value).toEqual({
      stixId: indicatorIdForPattern("[ipv4-addr:value = '203.0.113.9']"),
      type: IndicatorType.Ipv4,
      value: '203.0.113.9',
      isCidr: false,
      firstSeen: '2026-11-20T08:00:00.000Z',
      lastSeen: '2026-11-22T18:30:00.000Z',
      confidence: 80,
      note: 'c2',
    });
  });

  it('merges rows with the same id: widest window, highest confidence, first note', () => {
    const values = reportedValues(
      [
        row({ first_seen: new Date('2026-11-21T00:00:00Z'), confidence: 40 }),
        row({ type: 'asn', value: '64496', note: 'bullet-proof hosting' }),
        row({ last_seen: new Date('2026-11-23T09:00:00Z'), confidence: 90, note: 'second' }),
        row({ type: 'asn', value: 'AS64496', note: 'ignored' }),
      ],
      { ...report, firstSeen: null },
      NETWORK_AUDIENCE,
    );
    expect(values).toHaveLength(2);
    const ip = values.find((value) => value.type === IndicatorType.Ipv4)!;
    expect(ip).toMatchObject({
      firstSeen: '2026-11-21T00:00:00.000Z',
      lastSeen: '2026-11-23T09:00:00.000Z',
      confidence: 90,
      note: 'second',
    });
    expect(values.find((value) => value.type === IndicatorType.Asn)?.note).toBe('bullet-proof hosting');
  });

  it('falls back to the time the report arrived, and reads a backwards window as its start', () => {
    const [value] = reportedValues(
      [row({})],
      { firstSeen: null, lastSeen: null, receivedAt: report.receivedAt },
      NETWORK_AUDIENCE,
    );
    expect(value).toMatchObject({ firstSeen: '2026-11-23T10:00:00.000Z', lastSeen: '2026-11-23T10:00:00.000Z' });
    const [backwards] = reportedValues(
      [row({ first_seen: new Date('2026-11-23T00:00:00Z') })],
      report,
      NETWORK_AUDIENCE,
    );
    expect(backwards).toMatchObject({ firstSeen: '2026-11-23T00:00:00.000Z', lastSeen: '2026-11-23T00:00:00.000Z' });
  });

  it('sorts values by STIX id, the order locks are taken in', () => {
    const values = reportedValues(
      Array.from({ length: 50 }, (_, index) => row({ value: `203.0.113.${index}` })),
      report,
      NETWORK_AUDIENCE,
    );
    const ids = values.map((value) => value.stixId);
    expect(ids).toEqual([...ids].sort());
  });

  it('fails the report, without retries, for data that cannot become STIX', () => {
    const unknown = () => reportedValues([row({ type: 'mutex', value: 'x' })], report, NETWORK_AUDIENCE);
    expect(unknown).toThrow(VigiaException);
    expect(unknown).toThrow(/Unknown indicator type "mutex"/);
    const badAsn = () => reportedValues([row({ type: 'asn', value: 'AS99999999999' })], report, NETWORK_AUDIENCE);
    expect(badAsn).toThrow(/asn AS99999999999 cannot become STIX: not an AS number/);
    expect(badAsn).toThrow(expect.objectContaining({ code: ErrorCode.ValidationFailed }));
  });
});

describe('stixIdForValue', () => {
  it('is the indicator of the pattern, or the vulnerability of a CVE', () => {
    expect(stixIdForValue(IndicatorType.Domain, 'bad.example', NETWORK_AUDIENCE)).toBe(
      indicatorIdForPattern(stixPatternFor(IndicatorType.Domain, 'bad.example')),
    );
    expect(stixIdForValue(IndicatorType.Cve, 'CVE-2021-44228', NETWORK_AUDIENCE)).toBe(
      vulnerabilityIdForCve('CVE-2021-44228'),
    );
  });
});

describe('reportIndicatorRow', () => {
  it('reads a batched indicator, absent fields as null', () => {
    expect(reportIndicatorRow({ type: 'domain', value: 'a.example' })).toEqual({
      type: 'domain',
      value: 'a.example',
      is_cidr: false,
      first_seen: null,
      last_seen: null,
      confidence: null,
      note: null,
    });
    expect(
      reportIndicatorRow({
        type: 'ipv4',
        value: '198.51.100.0/24',
        is_cidr: true,
        first_seen: '2026-11-01T08:00:00+00:00',
        confidence: 70,
        note: 'scanner',
      }),
    ).toMatchObject({ is_cidr: true, first_seen: new Date('2026-11-01T08:00:00Z'), confidence: 70, note: 'scanner' });
  });
});
