import { IndicatorType, TlpLevel } from '@vigia/indicators';
import { StixInputError } from './errors';
import { identityIdForOrganisation, indicatorIdForPattern, scoIdFor, vulnerabilityIdForCve } from './identifiers';
import { buildIndicatorArtifacts } from './indicator-artifacts';
import { StixValidator } from './stix-validator';
import { tlpMarkingFor } from './tlp';

let validator: StixValidator;
beforeAll(() => {
  validator = new StixValidator();
});

const createdBy = identityIdForOrganisation('org-1');
const created = '2024-05-01T12:00:00.000Z';
const red = tlpMarkingFor(TlpLevel.Red).id;

describe('buildIndicatorArtifacts', () => {
  it.each([
    [IndicatorType.Ipv4, '198.51.100.7', 'ipv4-addr', { value: '198.51.100.7' }],
    [IndicatorType.Ipv4, '198.51.100.0/24', 'ipv4-addr', { value: '198.51.100.0/24' }],
    [IndicatorType.Ipv6, '2001:db8::1', 'ipv6-addr', { value: '2001:db8::1' }],
    [IndicatorType.Ipv6, '2001:db8::/32', 'ipv6-addr', { value: '2001:db8::/32' }],
    [IndicatorType.Domain, 'xn--bcher-kva.example', 'domain-name', { value: 'xn--bcher-kva.example' }],
    [IndicatorType.Url, 'https://example.com/login.php?id=1', 'url', { value: 'https://example.com/login.php?id=1' }],
    [IndicatorType.Email, 'phish@example.com', 'email-addr', { value: 'phish@example.com' }],
    [
      IndicatorType.Md5,
      'd41d8cd98f00b204e9800998ecf8427e',
      'file',
      { hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } },
    ],
    [
      IndicatorType.Sha1,
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'file',
      { hashes: { 'SHA-1': 'da39a3ee5e6b4b0d3255bfef95601890afd80709' } },
    ],
    [
      IndicatorType.Sha256,
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'file',
      { hashes: { 'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } },
    ],
    [IndicatorType.Sha512, 'cf83'.repeat(32), 'file', { hashes: { 'SHA-512': 'cf83'.repeat(32) } }],
    [IndicatorType.Asn, '64496', 'autonomous-system', { number: 64496 }],
    [IndicatorType.Asn, 'AS64496', 'autonomous-system', { number: 64496 }],
  ] as const)('%s %s → indicator + valid %s SCO', (type, value, scoType, scoProperties) => {
    const artifacts = buildIndicatorArtifacts(type, value, { tlp: TlpLevel.Red, createdBy, created });
    if (artifacts.kind !== 'indicator') throw new Error('expected an indicator');
    const { indicator, observable } = artifacts;

    expect(indicator.id).toBe(indicatorIdForPattern(indicator.pattern));
    expect(indicator).toMatchObject({
      created_by_ref: createdBy,
      created,
      valid_from: created,
      name: value,
      object_marking_refs: [red],
    });
    expect(observable).toStrictEqual({
      type: scoType,
      spec_version: '2.1',
      id: scoIdFor(scoType, scoProperties),
      ...scoProperties,
      object_marking_refs: [red],
    });
    expect(artifacts.objects).toEqual([indicator, observable]);
    for (const object of artifacts.objects) {
      expect(validator.validate(object)).toEqual({ valid: true, errors: [] });
    }
  });

  it('turns a CVE into a valid vulnerability, not an indicator', () => {
    const artifacts = buildIndicatorArtifacts(IndicatorType.Cve, 'CVE-2024-3094', {
      tlp: TlpLevel.Green,
      createdBy,
      created,
    });
    if (artifacts.kind !== 'vulnerability') throw new Error('expected a vulnerability');
    expect(artifacts.vulnerability).toMatchObject({
      id: vulnerabilityIdForCve('CVE-2024-3094'),
      name: 'CVE-2024-3094',
      object_marking_refs: [tlpMarkingFor(TlpLevel.Green).id],
    });
    expect(artifacts.objects).toEqual([artifacts.vulnerability]);
    expect(validator.validate(artifacts.vulnerability)).toEqual({ valid: true, errors: [] });
  });

  it('gives the same indicator and SCO ids for the same value, whoever builds it and whenever', () => {
    const here = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', { createdBy, created });
    const there = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', {
      createdBy: identityIdForOrganisation('org-2'),
    });
    expect(there.objects.map((object) => object.id)).toEqual(here.objects.map((object) => object.id));
  });

  it('honours a caller-supplied indicator id', () => {
    const id = 'indicator--1f9e4d8c-6a5b-4c3d-8e2f-0a1b2c3d4e5f';
    const artifacts = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', { id });
    expect(artifacts.objects[0].id).toBe(id);
  });

  it('adds the TLP marking to the caller’s marking refs without repeating it', () => {
    const statement = 'marking-definition--0f4d9e5a-3c2b-4a1d-9e8f-7a6b5c4d3e2f';
    const artifacts = buildIndicatorArtifacts(IndicatorType.Domain, 'example.com', {
      markingRefs: [statement, red],
      tlp: TlpLevel.Red,
    });
    for (const object of artifacts.objects) {
      expect(object.object_marking_refs).toEqual([statement, red]);
    }
  });

  it('keeps hostile values inside the pattern literal and still builds valid STIX', () => {
    const artifacts = buildIndicatorArtifacts(IndicatorType.Email, "x'] OR [file:name = 'y@example.com");
    if (artifacts.kind !== 'indicator') throw new Error('expected an indicator');
    expect(artifacts.indicator.pattern).toBe("[email-addr:value = 'x\\'] OR [file:name = \\'y@example.com']");
    expect(validator.validate(artifacts.indicator).valid).toBe(true);
  });

  it.each([
    [IndicatorType.Md5, 'not-a-hash'],
    [IndicatorType.Sha1, 'd41d8cd98f00b204e9800998ecf8427e'],
    [IndicatorType.Sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'"],
    [IndicatorType.Asn, 'AS-FOO'],
    [IndicatorType.Cve, 'CVE-XXXX-1234'],
  ])('rejects %s %j', (type, value) => {
    expect(() => buildIndicatorArtifacts(type, value)).toThrow(StixInputError);
  });
});
