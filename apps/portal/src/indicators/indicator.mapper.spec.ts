import { VigiaException } from '@vigia/common';
import { IndicatorSummary } from '@vigia/database';
import { decodeCursor, encodeCursor, knownValue } from './indicator.mapper';

const summary = (overrides: Partial<IndicatorSummary>): IndicatorSummary => ({
  stixId: 'indicator--1',
  audienceKey: 'network',
  objectType: 'indicator',
  type: 'domain',
  value: 'evil.example',
  tlp: 'green',
  audienceOwner: null,
  recipients: [],
  createdByOrg: 'a',
  reporterIds: ['a'],
  reportIds: [],
  classifications: ['fraud'],
  rsitTypes: ['phishing'],
  countries: [],
  sectors: [],
  confidence: 80,
  orgCount: 1,
  sightingOrgCount: 0,
  sightingCount: 0,
  confirmedOrgCount: 0,
  falsePositiveOrgCount: 0,
  firstSeen: new Date('2026-11-01T00:00:00Z'),
  lastSeen: new Date('2026-11-02T00:00:00Z'),
  validUntil: null,
  active: true,
  warninglisted: false,
  fpSuppressed: false,
  score: 80,
  ...overrides,
});

describe('indicator cursors', () => {
  it('round-trip, bound to their sort order', () => {
    const cursor = { sortValue: '2026-11-02T00:00:00.000Z', stixId: 'indicator--1' };
    expect(decodeCursor('last_seen', encodeCursor('last_seen', cursor))).toEqual(cursor);
    expect(decodeCursor('score', encodeCursor('score', { sortValue: 42, stixId: 'x' }))).toEqual({
      sortValue: 42,
      stixId: 'x',
    });
    expect(() => decodeCursor('score', encodeCursor('last_seen', cursor))).toThrow(VigiaException);
  });

  it('refuse anything else with a 400', () => {
    for (const bad of ['', 'not base64 json', Buffer.from('["score","NaN","x"]').toString('base64url')]) {
      expect(() => decodeCursor('score', bad)).toThrow(VigiaException);
    }
  });
});

describe('knownValue', () => {
  it('counts each reporter once across audiences and scores over active indicators only', () => {
    const known = knownValue([
      summary({ reporterIds: ['a', 'b'], score: 60 }),
      summary({ stixId: 'indicator--2', tlp: 'red', reporterIds: ['b', 'c'], score: 90, active: false }),
    ]);
    expect(known).toMatchObject({ known: true, score: 60, org_count: 3, classifications: ['fraud'] });
    expect(knownValue([])).toMatchObject({ known: false, score: null, org_count: 0, last_seen: null });
  });
});
