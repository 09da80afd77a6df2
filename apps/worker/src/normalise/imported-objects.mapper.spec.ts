import { DEFAULT_INDICATOR_LIFETIME_DAYS } from '@vigia/config';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import { NETWORK_AUDIENCE, audienceKeyOf, isNetworkAudience } from '@vigia/sharing';
import { identityIdForOrganisation, tlpMarkingFor } from '@vigia/stix';
import { derivedFromRows, importPlan, standardObjectsOf } from './imported-objects.mapper';
import { stixIdForValue } from './reported-values.mapper';
import { NormaliseContext } from './stix-rows.mapper';

const owner = '0b7f8a52-3c1e-4f55-9d0e-2a6c1b9e7d41';
const named = '6a1f3c0e-8d2b-4e4f-9a51-3b7c2d9e0f12';
const now = '2026-11-23T12:00:00.000Z';

const contextFor = (tlp: TlpLevel, recipients: string[] = []): NormaliseContext => ({
  reportId: '5d0c9e1a-7b3f-4c2d-8e6a-1f9b0c3d2e4f',
  organisationId: owner,
  identityId: identityIdForOrganisation(owner),
  scope: { tlp, recipients },
  audienceKey: audienceKeyOf({ ownerId: owner, tlp, recipients }),
  audienceOwner: isNetworkAudience({ tlp, recipients }) ? undefined : owner,
  now,
  lifetimes: DEFAULT_INDICATOR_LIFETIME_DAYS,
});

const actor = (id: string, level?: TlpLevel) => ({
  type: 'threat-actor',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-02-01T00:00:00.000Z',
  name: 'Evil Org',
  x_producer_score: 7,
  ...(level ? { object_marking_refs: [tlpMarkingFor(level).id] } : {}),
});

const indicator = (id: string, pattern: string, patternType = 'stix', level = TlpLevel.Amber) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern,
  pattern_type: patternType,
  valid_from: '2026-01-01T00:00:00.000Z',
  object_marking_refs: [tlpMarkingFor(level).id],
});

describe('imported objects', () => {
  it('reads a bundle, an envelope or one object, leaving custom types out', () => {
    const objects = [
      actor('threat-actor--11111111-1111-4111-8111-111111111111'),
      { type: 'x-score', id: 'x-score--1' },
    ];
    expect(standardObjectsOf({ type: 'bundle', id: 'bundle--1', objects }).map((o) => o.type)).toEqual([
      'threat-actor',
    ]);
    expect(standardObjectsOf({ objects })).toHaveLength(1);
    expect(standardObjectsOf(objects[0])).toHaveLength(1);
  });

  it('keeps each object as sent, in the audience of its own marking with the report’s recipients', () => {
    const green = actor('threat-actor--11111111-1111-4111-8111-111111111111', TlpLevel.Green);
    const red = actor('threat-actor--22222222-2222-4222-8222-222222222222', TlpLevel.Red);
    const unmarked = actor('threat-actor--33333333-3333-4333-8333-333333333333');
    const [greenRow, redRow, unmarkedRow] = importPlan(
      standardObjectsOf({ objects: [green, red, unmarked] }),
      contextFor(TlpLevel.Red),
    ).rows;
    expect(greenRow).toMatchObject({
      object: green,
      tlp: 'green',
      audience_key: NETWORK_AUDIENCE,
      imported: true,
      once: false,
    });
    expect(greenRow?.modified).toBe('2026-02-01T00:00:00.000Z');
    expect(redRow).toMatchObject({ tlp: 'red', audience_owner: owner });
    // The report is RED (the strictest marking); an unmarked object takes the report's level.
    expect(unmarkedRow).toMatchObject({ tlp: 'red', audience_key: contextFor(TlpLevel.Red).audienceKey });
  });

  it('never looser than the report when the submitter made it stricter than the bundle, and within its recipients', () => {
    const green = actor('threat-actor--11111111-1111-4111-8111-111111111111', TlpLevel.Green);
    const [stricter] = importPlan([green], contextFor(TlpLevel.AmberStrict)).rows;
    expect(stricter?.tlp).toBe('amber+strict');
    const [restricted] = importPlan([green], contextFor(TlpLevel.Green, [named])).rows;
    expect(restricted).toMatchObject({ tlp: 'green', tlp_recipients: [named], audience_owner: owner });
    expect(restricted?.audience_key).not.toBe(NETWORK_AUDIENCE);
  });

  it('marks patterns it cannot reduce as not value-matchable, and links reducible ones to Vigia’s value indicators', () => {
    const context = contextFor(TlpLevel.Amber);
    const plan = importPlan(
      [
        indicator('indicator--11111111-1111-4111-8111-111111111111', "[ipv4-addr:value = '198.51.100.7']"),
        indicator(
          'indicator--22222222-2222-4222-8222-222222222222',
          "[ipv4-addr:value = '198.51.100.8' AND ipv4-addr:value = '198.51.100.9']",
        ),
        indicator('indicator--33333333-3333-4333-8333-333333333333', 'rule x { condition: true }', 'yara'),
      ],
      context,
    );
    expect(plan.rows.map((row) => row.value_matchable)).toEqual([true, false, false]);
    const valueId = stixIdForValue(IndicatorType.Ipv4, '198.51.100.7', context.audienceKey);
    expect(plan.links).toEqual([
      { producerIndicatorId: 'indicator--11111111-1111-4111-8111-111111111111', valueIds: [valueId] },
    ]);
    const [link] = derivedFromRows(plan.links, new Set([valueId]), context);
    expect(link?.object).toMatchObject({
      type: 'relationship',
      relationship_type: 'derived-from',
      source_ref: valueId,
      target_ref: 'indicator--11111111-1111-4111-8111-111111111111',
    });
    expect(derivedFromRows(plan.links, new Set(), context)).toEqual([]);
  });

  it('does not link to a producer’s indicator kept to fewer than the report', () => {
    const plan = importPlan(
      [
        indicator(
          'indicator--11111111-1111-4111-8111-111111111111',
          "[ipv4-addr:value = '198.51.100.7']",
          'stix',
          TlpLevel.Red,
        ),
      ],
      contextFor(TlpLevel.Green),
    );
    expect(plan.links).toEqual([]);
  });
});
