import { DEFAULT_INDICATOR_LIFETIME_DAYS } from '@vigia/config';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import { NETWORK_AUDIENCE, audienceKeyOf, isNetworkAudience } from '@vigia/sharing';
import {
  Indicator,
  Sighting,
  StixValidator,
  identityIdForOrganisation,
  locationIdForCountry,
  sightingIdFor,
  tlpMarkingFor,
  vulnerabilityIdForCve,
} from '@vigia/stix';
import { reportedValues } from './reported-values.mapper';
import { Correlation, StoredIndicator } from '@vigia/database';
import {
  NormaliseContext,
  firstVersionRows,
  markingRows,
  nextModified,
  nextVersionRow,
  organisationRows,
  reportRow,
  sightingRow,
} from './stix-rows.mapper';
import { describeWithOasisSchemas, OasisSchemaValidator } from '@vigia/stix/testing';

const creator = '0b7f8a52-3c1e-4f55-9d0e-2a6c1b9e7d41';
const other = '6a1f3c0e-8d2b-4e4f-9a51-3b7c2d9e0f12';
const now = '2026-11-23T12:00:00.000Z';

const contextFor = (organisationId: string, tlp = TlpLevel.Amber, recipients: string[] = []): NormaliseContext => ({
  reportId: '5d0c9e1a-7b3f-4c2d-8e6a-1f9b0c3d2e4f',
  organisationId,
  identityId: identityIdForOrganisation(organisationId),
  scope: { tlp, recipients },
  audienceKey: audienceKeyOf({ ownerId: organisationId, tlp, recipients }),
  audienceOwner: isNetworkAudience({ tlp, recipients }) ? undefined : organisationId,
  now,
  lifetimes: DEFAULT_INDICATOR_LIFETIME_DAYS,
});

const valueOf = (type: string, value: string, extra: { confidence?: number; note?: string } = {}) =>
  reportedValues(
    [
      {
        type,
        value,
        is_cidr: value.includes('/'),
        first_seen: new Date('2026-11-20T08:00:00Z'),
        last_seen: new Date('2026-11-22T18:30:00Z'),
        confidence: extra.confidence ?? null,
        note: extra.note ?? null,
      },
    ],
    { firstSeen: null, lastSeen: null, receivedAt: new Date(now) },
    NETWORK_AUDIENCE,
  )[0];

let validator: StixValidator;
beforeAll(() => {
  validator = new StixValidator();
});
const expectValid = (object: unknown) => expect(validator.validate(object)).toEqual({ valid: true, errors: [] });

describe('firstVersionRows', () => {
  it('makes an indicator and its SCO, with the columns queries filter on', () => {
    const value = valueOf('ipv4', '203.0.113.0/24', { confidence: 70, note: 'scanner' });
    const [indicator, observable] = firstVersionRows(value, contextFor(creator), undefined);
    expect(indicator).toMatchObject({
      stix_id: value.stixId,
      type: 'indicator',
      created: now,
      modified: now,
      tlp: TlpLevel.Amber,
      tlp_recipients: [],
      created_by_org: creator,
      indicator_type: IndicatorType.Ipv4,
      indicator_value: '203.0.113.0/24',
      is_cidr: true,
      confidence: 70,
      valid_from: '2026-11-20T08:00:00.000Z',
      valid_until: '2026-12-22T18:30:00.000Z', // 30 days after it was last seen
      org_count: 1,
      first_seen: '2026-11-20T08:00:00.000Z',
      last_seen: '2026-11-22T18:30:00.000Z',
    });
    expect(indicator.suppressed_by).toBeUndefined();
    expect(indicator.object).toMatchObject({
      pattern: "[ipv4-addr:value ISSUBSET '203.0.113.0/24']",
      created_by_ref: identityIdForOrganisation(creator),
      description: 'scanner',
      confidence: 70,
      object_marking_refs: [tlpMarkingFor(TlpLevel.Amber).id],
    });
    expect(observable).toMatchObject({ type: 'ipv4-addr', indicator_value: '203.0.113.0/24', created_by_org: creator });
    expectValid(indicator.object);
    expectValid(observable.object);
  });

  it('starts validity no later than now, and marks a warninglisted value on both rows', () => {
    const future = reportedValues(
      [
        {
          type: 'domain',
          value: 'google.com',
          is_cidr: false,
          first_seen: new Date('2027-01-01T00:00:00Z'),
          last_seen: null,
          confidence: null,
          note: null,
        },
      ],
      { firstSeen: null, lastSeen: null, receivedAt: new Date(now) },
      NETWORK_AUDIENCE,
    )[0];
    const rows = firstVersionRows(future, contextFor(creator), 'top-domains');
    expect(rows[0].valid_from).toBe(now);
    expect(rows.map((row) => row.suppressed_by)).toEqual(['top-domains', 'top-domains']);
  });

  it('makes a CVE one vulnerability that never expires by default', () => {
    const rows = firstVersionRows(valueOf('cve', 'CVE-2021-44228'), contextFor(creator), undefined);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stix_id: vulnerabilityIdForCve('CVE-2021-44228'), type: 'vulnerability' });
    expect(rows[0].valid_from).toBeUndefined();
    expect(rows[0].valid_until).toBeUndefined();
    expectValid(rows[0].object);
  });
});

describe('nextVersionRow', () => {
  const value = valueOf('domain', 'c2.bad.example', { confidence: 90, note: 'new note' });
  const previous: StoredIndicator = {
    stixId: value.stixId,
    modified: '2026-11-01T00:00:00.000Z',
    created: '2026-11-01T00:00:00.000Z',
    createdByOrg: creator,
    scope: { tlp: TlpLevel.Green, recipients: [] },
    confidence: 50,
    description: 'old note',
    validFrom: '2026-10-30T00:00:00.000Z',
    validUntil: '2027-01-30T00:00:00.000Z',
    orgCount: 1,
    firstSeen: '2026-10-30T00:00:00.000Z',
    lastSeen: '2026-11-01T00:00:00.000Z',
  };
  const seenAgain: Correlation = {
    inserted: false,
    firstSeen: '2026-10-30T00:00:00.000Z',
    lastSeen: '2026-11-22T18:30:00.000Z',
    reportCount: 2,
    createdAt: '2026-11-01T00:00:00.000Z',
  };

  it("keeps the creator's object, with a later version, a renewed validity and a wider window", () => {
    const row = nextVersionRow(value, previous, seenAgain, contextFor(creator, TlpLevel.Amber), undefined);
    expect(row).toMatchObject({
      created: previous.created,
      modified: now,
      created_by_org: creator,
      tlp: TlpLevel.Amber,
      confidence: 90,
      valid_from: previous.validFrom,
      valid_until: '2027-02-20T18:30:00.000Z', // 90 days after it was last seen
      org_count: 1,
      first_seen: '2026-10-30T00:00:00.000Z',
      last_seen: '2026-11-22T18:30:00.000Z',
    });
    expect(row.object).toMatchObject({ description: 'new note', created: previous.created, modified: now });
    expectValid(row.object);
  });

  it('counts another organisation without letting it change TLP, confidence or note', () => {
    const firstTime = { ...seenAgain, inserted: true, reportCount: 1 };
    const row = nextVersionRow(value, previous, firstTime, contextFor(other, TlpLevel.Clear), undefined);
    expect(row).toMatchObject({ created_by_org: creator, tlp: TlpLevel.Green, confidence: 50, org_count: 2 });
    expect((row.object as Indicator).created_by_ref).toBe(identityIdForOrganisation(creator));
    expect((row.object as Indicator).description).toBe('old note');
  });

  it('always moves modified forward, even when the clock did not', () => {
    const later = { ...previous, modified: '2026-11-23T12:00:00.000Z' };
    expect(nextVersionRow(value, later, seenAgain, contextFor(creator), undefined).modified).toBe(
      '2026-11-23T12:00:00.001Z',
    );
    expect(nextModified('2026-11-23T12:00:00.999Z', now)).toBe('2026-11-23T12:00:01.000Z');
    expect(nextModified('2026-11-01T00:00:00.000Z', now)).toBe(now);
  });
});

describe('sightingRow', () => {
  const value = valueOf('ipv4', '203.0.113.45');
  const correlation: Correlation = {
    inserted: true,
    firstSeen: '2026-11-20T08:00:00.000Z',
    lastSeen: '2026-11-22T18:30:00.000Z',
    reportCount: 1,
    createdAt: now,
  };

  it("says the reporter saw another organisation's indicator: one id per pair, its own window and count", () => {
    const row = sightingRow(value, correlation, undefined, contextFor(other, TlpLevel.Green), undefined);
    const identity = identityIdForOrganisation(other);
    expect(row).toMatchObject({
      stix_id: sightingIdFor(value.stixId, identity),
      type: 'sighting',
      created: now,
      modified: now,
      created_by_org: other,
      sighting_of_ref: value.stixId,
      tlp: TlpLevel.Green,
    });
    const sighting = row.object as Sighting;
    expect(sighting).toMatchObject({
      created_by_ref: identity,
      sighting_of_ref: value.stixId,
      where_sighted_refs: [identity],
      first_seen: correlation.firstSeen,
      last_seen: correlation.lastSeen,
      count: 1,
    });
    expectValid(sighting);
  });

  it('makes a later report a new version of the same sighting, never less restricted', () => {
    const previous = {
      stixId: 'sighting--x',
      modified: '2026-11-22T00:00:00.000Z',
      scope: { tlp: TlpLevel.Red, recipients: [creator] },
    };
    const again = { ...correlation, reportCount: 2, createdAt: '2026-11-22T00:00:00.000Z' };
    const row = sightingRow(value, again, previous, contextFor(other, TlpLevel.Green), 'rfc1918');
    expect(row).toMatchObject({
      created: '2026-11-22T00:00:00.000Z',
      modified: now,
      tlp: TlpLevel.Red,
      tlp_recipients: [creator],
      suppressed_by: 'rfc1918',
    });
    expect((row.object as Sighting).count).toBe(2);
  });
});

describe('report, identity and markings', () => {
  const summary = {
    title: 'Phishing wave',
    description: '',
    classification: 'fraud',
    type: 'phishing',
    severity: 'high',
    sectors: ['government'],
    countries: ['UY', 'AR'],
    receivedAt: new Date('2026-11-23T11:59:00Z'),
  };

  it('makes one STIX report per incident report, labelled with its classification', () => {
    const value = valueOf('domain', 'bad.example');
    const row = reportRow(summary, [value.stixId], contextFor(creator));
    expect(row.stix_id).toBe('report--5d0c9e1a-7b3f-4c2d-8e6a-1f9b0c3d2e4f');
    expect(row.object).toMatchObject({
      name: 'Phishing wave',
      published: '2026-11-23T11:59:00.000Z',
      modified: now,
      object_refs: [value.stixId],
      labels: ['rsit:fraud', 'rsit:fraud:phishing', 'severity:high', 'sector:government', 'country:UY', 'country:AR'],
    });
    expect(row.object).not.toHaveProperty('description');
    expectValid(row.object);
    const empty = reportRow(summary, [], contextFor(creator));
    expect(empty.object).toMatchObject({ object_refs: [identityIdForOrganisation(creator)] });
  });

  const organisation = {
    id: creator,
    name: 'CERT-A',
    countryCode: 'uy',
    sector: 'government',
    updatedAt: new Date(now),
  };

  it("versions an organisation's identity by its last change, never before the identity epoch", () => {
    const { identity } = organisationRows(organisation);
    expect(identity).toMatchObject({ stix_id: identityIdForOrganisation(creator), modified: now, type: 'identity' });
    expect(identity.object).toMatchObject({ name: 'CERT-A', identity_class: 'organization', sectors: ['government'] });
    expectValid(identity.object);
    expect(organisationRows({ ...organisation, updatedAt: new Date('2020-01-01T00:00:00Z') }).identity.modified).toBe(
      '2025-01-01T00:00:00.000Z',
    );
  });

  it('gives the country as a location the identity is located-at, with no custom property', () => {
    const { identity, located } = organisationRows(organisation);
    expect(identity.object).not.toHaveProperty('x_vigia_country');
    const [location, locatedAt] = located;
    expect(location).toMatchObject({
      stix_id: locationIdForCountry('UY'),
      type: 'location',
      audience_key: NETWORK_AUDIENCE,
    });
    expect(location!.object).toMatchObject({ country: 'UY' });
    expect(locatedAt!.object).toMatchObject({
      type: 'relationship',
      relationship_type: 'located-at',
      source_ref: identity.stix_id,
      target_ref: location!.stix_id,
    });
    // The same objects each time: stored once.
    expect(organisationRows({ ...organisation, updatedAt: new Date('2027-01-01T00:00:00Z') }).located).toEqual(located);
    expect(organisationRows({ ...organisation, countryCode: null }).located).toEqual([]);
  });

  it('stores the five TLP 2.0 markings', () => {
    const rows = markingRows();
    expect(rows.map((row) => row.object)).toEqual(
      Object.values(TlpLevel).map((level) => tlpMarkingFor(level).markingDefinition),
    );
    rows.forEach((row) => expectValid(row.object));
  });
});

/** One of every kind of object the normaliser writes (the warning envelopes and TAXII serve these same objects). */
function everyEmittedObject(): Record<string, unknown>[] {
  const context = contextFor(creator, TlpLevel.Green);
  const values = [
    ['ipv4', '203.0.113.0/24'],
    ['ipv6', '2001:db8::1'],
    ['domain', 'c2.bad.example'],
    ['url', 'http://bad.example/login?x=1'],
    ['email', 'phish@bad.example'],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [
      'sha512',
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    ],
    ['asn', '64496'],
    ['cve', 'CVE-2021-44228'],
  ].map(([type, value]) => valueOf(type!, value!, { confidence: 80, note: 'seen in a campaign' }));
  const correlation: Correlation = { inserted: true, firstSeen: now, lastSeen: now, reportCount: 1, createdAt: now };
  const rows = [
    ...values.flatMap((value) => firstVersionRows(value, context, undefined)),
    sightingRow(values[0]!, correlation, undefined, contextFor(other, TlpLevel.Green), undefined),
    reportRow(
      {
        title: 'Wave',
        description: 'd',
        classification: 'fraud',
        type: 'phishing',
        severity: 'high',
        sectors: [],
        countries: ['UY'],
        receivedAt: new Date(now),
      },
      values.map((value) => value.stixId),
      context,
    ),
    ...Object.values(
      organisationRows({
        id: creator,
        name: 'CERT-A',
        countryCode: 'UY',
        sector: 'government',
        updatedAt: new Date(now),
      }),
    ).flat(),
    ...markingRows(),
  ];
  return rows.map((row) => row.object as unknown as Record<string, unknown>);
}

describe('plain STIX 2.1 out', () => {
  it('every object Vigia emits passes a strict STIX 2.1 reader that refuses custom content', () => {
    const objects = everyEmittedObject();
    expect([...new Set(objects.map((object) => object.type))].sort()).toEqual([
      'autonomous-system',
      'domain-name',
      'email-addr',
      'file',
      'identity',
      'indicator',
      'ipv4-addr',
      'ipv6-addr',
      'location',
      'marking-definition',
      'relationship',
      'report',
      'sighting',
      'url',
      'vulnerability',
    ]);
    for (const object of objects)
      expect([object.id, validator.validateStrict(object)]).toEqual([object.id, { valid: true, errors: [] }]);
  });

  it('the strict reader does refuse custom content', () => {
    const [indicator] = everyEmittedObject();
    expect(validator.validateStrict({ ...indicator, x_vigia_country: 'UY' }).errors).toEqual([
      '/: custom property "x_vigia_country"',
    ]);
    expect(
      validator.validateStrict({ type: 'x-vigia-thing', id: 'x-vigia-thing--0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10' })
        .valid,
    ).toBe(false);
  });
});

describeWithOasisSchemas('plain STIX 2.1 out, checked by the OASIS schemas', (schemaDirectory) => {
  it('the OASIS schemas accept every object Vigia emits', () => {
    const oracle = new OasisSchemaValidator(schemaDirectory);
    for (const object of everyEmittedObject()) {
      expect([object.id, oracle.validate(object)]).toEqual([object.id, { valid: true, errors: [] }]);
    }
  });
});
