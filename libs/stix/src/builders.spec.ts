import { IndicatorType, TLP_LEVELS, TlpLevel } from '@vigia/indicators';
import { buildBundle } from './bundle';
import {
  buildIdentity,
  buildIndicator,
  buildNote,
  buildObservedData,
  buildReport,
  buildVulnerability,
  countryLocation,
  identityForOrganisation,
  organisationStixObjects,
  ORGANISATION_IDENTITY_EPOCH,
} from './domain-objects';
import { StixInputError } from './errors';
import {
  identityIdForOrganisation,
  locationIdForCountry,
  relationshipIdFor,
  vulnerabilityIdForCve,
} from './identifiers';
import { artifactObjects, buildIndicatorArtifacts } from './indicator-artifacts';
import { buildRelationship, buildSighting } from './relationship-objects';
import { StixValidator } from './stix-validator';
import { tlpMarkingFor } from './tlp';
import type { StixObject } from './types';

const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RANDOM_ID = /^[a-z-]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let validator: StixValidator;
beforeAll(() => {
  validator = new StixValidator();
});

function expectValid(object: unknown): void {
  expect(validator.validate(object)).toEqual({ valid: true, errors: [] });
}

const organisation = identityForOrganisation({
  id: '5f0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f',
  name: 'CERT Example',
  country: 'pt',
  sector: 'government-national',
});
const amber = tlpMarkingFor(TlpLevel.Amber);

describe('identityForOrganisation', () => {
  it('builds a valid organisation identity with a deterministic id and stable created', () => {
    expect(organisation).toStrictEqual({
      type: 'identity',
      spec_version: '2.1',
      id: identityIdForOrganisation('5f0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f'),
      created: ORGANISATION_IDENTITY_EPOCH,
      modified: ORGANISATION_IDENTITY_EPOCH,
      name: 'CERT Example',
      identity_class: 'organization',
      sectors: ['government-national'],
    });
    expect(identityForOrganisation({ id: '5f0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f', name: 'CERT Example' }).id).toBe(
      organisation.id,
    );
    expectValid(organisation);
  });

  it('takes a later modified for a changed organisation', () => {
    const renamed = identityForOrganisation({ id: 'org-1', name: 'New name' }, { modified: '2026-01-01T00:00:00Z' });
    expect(renamed.modified).toBe('2026-01-01T00:00:00.000Z');
    expect(renamed).not.toHaveProperty('sectors');
    expectValid(renamed);
  });
});

describe('organisationStixObjects', () => {
  it('puts the country in a location the identity is located-at: plain STIX, same objects every time', () => {
    const input = { id: '5f0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f', name: 'CERT Example', country: 'pt' };
    const { identity, location, locatedAt } = organisationStixObjects(input);
    expect(identity).toStrictEqual(identityForOrganisation(input));
    expect(location).toStrictEqual({
      type: 'location',
      spec_version: '2.1',
      id: locationIdForCountry('PT'),
      created: ORGANISATION_IDENTITY_EPOCH,
      modified: ORGANISATION_IDENTITY_EPOCH,
      country: 'PT',
    });
    expect(locatedAt).toMatchObject({
      id: relationshipIdFor(identity.id, 'located-at', location!.id),
      relationship_type: 'located-at',
      source_ref: identity.id,
      target_ref: location!.id,
      created: ORGANISATION_IDENTITY_EPOCH,
    });
    expect(organisationStixObjects(input)).toStrictEqual({ identity, location, locatedAt });
    [identity, location, locatedAt].forEach((object) => expect(validator.validateStrict(object).errors).toEqual([]));
    expect(organisationStixObjects({ ...input, country: undefined })).toStrictEqual({ identity });
    expect(() => countryLocation('Portugal')).toThrow(/ISO 3166-1 alpha-2/);
  });
});

describe('common properties', () => {
  it('gives SDOs a random UUIDv4 id and millisecond timestamps by default', () => {
    const identity = buildIdentity({ name: 'Analyst', identityClass: 'individual' });
    expect(identity.id).toMatch(RANDOM_ID);
    expect(identity.created).toMatch(STIX_TIMESTAMP);
    expect(identity.modified).toBe(identity.created);
    expectValid(identity);
  });

  it('accepts a caller-supplied id of the right type only', () => {
    const id = 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
    expect(buildIdentity({ name: 'A', id }).id).toBe(id);
    expect(() => buildIdentity({ name: 'A', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' })).toThrow(
      StixInputError,
    );
  });

  it('writes every optional common property, and none that was not given', () => {
    const identity = buildIdentity({
      name: 'A',
      createdBy: organisation.id,
      created: '2024-01-01T00:00:00Z',
      modified: new Date('2024-02-01T00:00:00Z'),
      labels: ['csirt'],
      confidence: 85,
      lang: 'en',
      externalReferences: [{ source_name: 'first.org', url: 'https://www.first.org/members/teams/' }],
      markingRefs: [amber.id],
    });
    expect(identity).toMatchObject({
      created_by_ref: organisation.id,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-02-01T00:00:00.000Z',
      labels: ['csirt'],
      confidence: 85,
      lang: 'en',
      object_marking_refs: [amber.id],
    });
    expectValid(identity);
    expect(Object.keys(buildIdentity({ name: 'B' })).sort()).toEqual(
      ['created', 'id', 'modified', 'name', 'spec_version', 'type'].sort(),
    );
  });

  it('rejects modified before created and confidence outside 0-100', () => {
    expect(() =>
      buildIdentity({ name: 'A', created: '2024-02-01T00:00:00Z', modified: '2024-01-01T00:00:00Z' }),
    ).toThrow(StixInputError);
    expect(() => buildIdentity({ name: 'A', confidence: 101 })).toThrow(StixInputError);
    expect(() => buildIdentity({ name: 'A', confidence: 50.5 })).toThrow(StixInputError);
  });
});

describe('buildIndicator', () => {
  it('defaults to a STIX 2.1 pattern valid from its creation', () => {
    const indicator = buildIndicator({
      pattern: "[domain-name:value = 'example.com']",
      created: '2024-05-01T12:00:00Z',
      validUntil: '2024-06-01T00:00:00Z',
      indicatorTypes: ['malicious-activity'],
      createdBy: organisation.id,
    });
    expect(indicator).toMatchObject({
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2024-05-01T12:00:00.000Z',
      valid_until: '2024-06-01T00:00:00.000Z',
    });
    expect(indicator.id).toMatch(RANDOM_ID);
    expectValid(indicator);
  });

  it('rejects valid_until not after valid_from', () => {
    expect(() =>
      buildIndicator({ pattern: '[x:y = 1]', validFrom: '2024-05-01T00:00:00Z', validUntil: '2024-05-01T00:00:00Z' }),
    ).toThrow(StixInputError);
  });
});

describe('buildVulnerability', () => {
  it('names the vulnerability by its CVE and adds the cve external reference', () => {
    const vulnerability = buildVulnerability({
      cve: 'cve-2021-44228',
      description: 'Log4Shell',
      markingRefs: [amber.id],
    });
    expect(vulnerability).toMatchObject({
      id: vulnerabilityIdForCve('CVE-2021-44228'),
      name: 'CVE-2021-44228',
      external_references: [
        { source_name: 'cve', external_id: 'CVE-2021-44228', url: 'https://www.cve.org/CVERecord?id=CVE-2021-44228' },
      ],
    });
    expectValid(vulnerability);
  });

  it.each(['CVE-21-1', 'CVE-2021-0012x', '2021-44228', "CVE-2021-44228' OR"])('rejects %j', (cve) => {
    expect(() => buildVulnerability({ cve })).toThrow(StixInputError);
  });
});

describe('the other SDOs and SROs are valid STIX', () => {
  const { indicator, observable } = ipArtifacts();

  it('sighting', () => {
    const sighting = buildSighting({
      sightingOf: indicator.id,
      whereSighted: [organisation.id],
      firstSeen: '2024-05-01T10:00:00Z',
      lastSeen: '2024-05-01T11:00:00Z',
      count: 12,
      createdBy: organisation.id,
      markingRefs: [amber.id],
    });
    expect(sighting).toMatchObject({ sighting_of_ref: indicator.id, where_sighted_refs: [organisation.id], count: 12 });
    expectValid(sighting);
    expect(() => buildSighting({ sightingOf: indicator.id, count: -1 })).toThrow(StixInputError);
  });

  it('relationship', () => {
    const relationship = buildRelationship({
      relationshipType: 'related-to',
      sourceRef: indicator.id,
      targetRef: observable.id,
      startTime: '2024-05-01T00:00:00Z',
      stopTime: '2024-06-01T00:00:00Z',
    });
    expectValid(relationship);
    expect(() =>
      buildRelationship({ relationshipType: 'Related To', sourceRef: indicator.id, targetRef: observable.id }),
    ).toThrow(StixInputError);
  });

  it('report', () => {
    const report = buildReport({
      name: 'Phishing wave',
      objectRefs: [indicator.id, observable.id],
      reportTypes: ['threat-report'],
      published: '2024-05-02T08:00:00Z',
      createdBy: organisation.id,
    });
    expect(report.published).toBe('2024-05-02T08:00:00.000Z');
    expectValid(report);
    expect(() => buildReport({ name: 'Empty', objectRefs: [] })).toThrow(StixInputError);
  });

  it('note', () => {
    const note = buildNote({ content: 'Seen from three ASNs.', objectRefs: [indicator.id], authors: ['CERT Example'] });
    expectValid(note);
  });

  it('observed-data', () => {
    const observedData = buildObservedData({
      firstObserved: '2024-05-01T10:00:00Z',
      lastObserved: '2024-05-01T11:00:00Z',
      numberObserved: 3,
      objectRefs: [observable.id],
    });
    expectValid(observedData);
    expect(() =>
      buildObservedData({
        firstObserved: '2024-05-01',
        lastObserved: '2024-05-01',
        numberObserved: 0,
        objectRefs: [observable.id],
      }),
    ).toThrow(StixInputError);
  });

  it.each(TLP_LEVELS)('TLP 2.0 marking definition %s', (level) => {
    expectValid(tlpMarkingFor(level).markingDefinition);
  });
});

describe('buildBundle', () => {
  it('bundles a full report of every indicator type into one valid bundle', () => {
    const created = '2024-05-01T12:00:00.000Z';
    const artifacts = [
      buildIndicatorArtifacts(IndicatorType.Ipv4, '198.51.100.7', {
        tlp: TlpLevel.Amber,
        createdBy: organisation.id,
        created,
      }),
      buildIndicatorArtifacts(IndicatorType.Ipv6, '2001:db8::/32', {
        tlp: TlpLevel.Amber,
        createdBy: organisation.id,
        created,
      }),
      buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', {
        tlp: TlpLevel.Amber,
        createdBy: organisation.id,
        created,
      }),
      buildIndicatorArtifacts(IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427e', { tlp: TlpLevel.Amber, created }),
      buildIndicatorArtifacts(IndicatorType.Asn, '64496', { tlp: TlpLevel.Amber, createdBy: organisation.id, created }),
      buildIndicatorArtifacts(IndicatorType.Cve, 'CVE-2021-44228', {
        tlp: TlpLevel.Amber,
        createdBy: organisation.id,
        created,
      }),
    ];
    const objects = artifactObjects(artifacts);
    const report = buildReport({
      name: 'Weekly sharing',
      objectRefs: objects.map((object) => object.id),
      createdBy: organisation.id,
      markingRefs: [amber.id],
      created,
    });
    const sighting = buildSighting({ sightingOf: objects[0].id, whereSighted: [organisation.id], created });
    const bundle = buildBundle([organisation, amber.markingDefinition, ...objects, report, sighting]);

    expect(bundle.id).toMatch(RANDOM_ID);
    expect(bundle.objects).toHaveLength(2 + objects.length + 2);
    expect(validator.validateBundle(bundle)).toEqual({ valid: true, errors: [] });
  });

  it('keeps each exact repeat once, but every version of an object', () => {
    const first = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', { created: '2024-05-01T00:00:00Z' });
    const again = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', { created: '2024-05-01T00:00:00Z' });
    const updated = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', {
      created: '2024-05-01T00:00:00Z',
      modified: '2024-05-02T00:00:00Z',
    });
    const objects: StixObject[] = [
      ...first.objects,
      ...again.objects,
      ...updated.objects,
      amber.markingDefinition,
      amber.markingDefinition,
    ];
    expect(buildBundle(objects).objects).toEqual([...first.objects, updated.objects[0], amber.markingDefinition]);
  });

  it('leaves out an empty objects list, which the schema forbids', () => {
    const bundle = buildBundle([]);
    expect(bundle).not.toHaveProperty('objects');
    expect(validator.validateBundle(bundle).valid).toBe(true);
  });
});

function ipArtifacts() {
  const artifacts = buildIndicatorArtifacts(IndicatorType.Ipv4, '198.51.100.7');
  if (artifacts.kind !== 'indicator') throw new Error('expected an indicator');
  return artifacts;
}
