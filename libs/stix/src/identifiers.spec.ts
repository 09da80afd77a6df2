import { createHash } from 'node:crypto';
import {
  identityIdForOrganisation,
  indicatorIdForPattern,
  scoIdFor,
  STIX_SCO_ID_NAMESPACE,
  VIGIA_IDENTITY_NAMESPACE,
  VIGIA_INDICATOR_NAMESPACE,
  VIGIA_VULNERABILITY_NAMESPACE,
  VIGIA_SIGHTING_NAMESPACE,
  vulnerabilityIdForCve,
  sightingIdFor,
} from './identifiers';
import {
  buildAutonomousSystem,
  buildDomainName,
  buildEmailAddress,
  buildFileWithHash,
  buildIpv4Address,
  buildIpv6Address,
  buildUrl,
} from './observables';
import { parseUuidNamespace, uuidV5 } from './uuid';

/**
 * Example SCOs printed in the STIX 2.1 specification, errata 01 (02 April 2025), the authoritative Markdown
 * spec/stix-v2.1.md in github.com/oasis-tcs/cti-stix2. The 2021 OASIS Standard printed ids that did not follow
 * its own §2.9 algorithm (e.g. ipv4-addr--ff26c055-… for 198.51.100.3); OASIS issue oasis-tcs/cti-stix2#318
 * recomputed them with cti-python-stix2 and PR #329 put the ids below into the spec.
 */
describe('deterministic SCO ids match the STIX 2.1 spec examples', () => {
  it.each([
    ['ipv4-addr', { value: '198.51.100.3' }, 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'], // §2.9 and §6.8
    ['ipv4-addr', { value: '198.51.100.0/24' }, 'ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a'], // §6.8, CIDR
    ['ipv4-addr', { value: '203.0.113.1' }, 'ipv4-addr--ad74bc22-43d2-52ed-890e-7d382f58e1eb'],
    [
      'ipv6-addr',
      { value: '2001:0db8:85a3:0000:0000:8a2e:0370:7334' },
      'ipv6-addr--85a85a8c-ee99-5722-946d-3c3a3270fc6f',
    ],
    ['ipv6-addr', { value: '2001:0db8::/96' }, 'ipv6-addr--084d3b4c-7785-568a-a569-0c61c95754ab'], // §6.9, CIDR
    ['domain-name', { value: 'example.com' }, 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7'], // §6.4
    ['url', { value: 'https://example.com/research/index.html' }, 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55'], // §6.15
    // §6.5: display_name is not an ID contributing property.
    [
      'email-addr',
      { value: 'john@example.com', display_name: 'John Doe' },
      'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934',
    ],
    [
      'autonomous-system', // §6.2
      { number: 15139, name: 'Slime Industries', rir: 'ARIN' },
      'autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff',
    ],
  ] as const)('%s %j → %s', (type, properties, expectedId) => {
    expect(scoIdFor(type, properties)).toBe(expectedId);
  });

  /*
   * The errata renamed the directory objects (to their own deterministic ids) after the file ids had been computed
   * from the old parent_directory_ref values, so these two examples only reproduce with the refs they were computed
   * from: directory--255cb0e4-… and directory--93c0a9b0-…, the ids those directories had before (issue #318 lists both).
   */
  it('uses only the MD5 hash when a file has MD5 and SHA-1 (§6.7.1 preference), with name and parent_directory_ref', () => {
    const file = {
      hashes: { 'SHA-1': '5374e08903744ceeaedd8f5e1bfc06b2c4688e76', MD5: 'a92e5b2bae0b4b3a3d81c85610b95cd4' },
      size: 77312,
      name: 'a92e5b2bae.exe',
      parent_directory_ref: 'directory--255cb0e4-8bdb-5d63-bb32-9c6f0b733ab2',
    };
    expect(scoIdFor('file', file)).toBe('file--ba8965d8-e4ec-5f9c-a4df-1c460994ca58');
  });

  it('reproduces the spec file example with SHA-256, name and parent_directory_ref', () => {
    const file = {
      hashes: { 'SHA-256': 'ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a' },
      parent_directory_ref: 'directory--93c0a9b0-520d-545d-9094-1a08ddf46b05',
      name: 'qwerty.dll',
    };
    expect(scoIdFor('file', file)).toBe('file--39643577-13b7-5f21-9584-df7e7c33f357');
  });

  it('reproduces the spec file examples with one SHA-256 hash, with and without a name', () => {
    const sha256 = { 'SHA-256': 'ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a' };
    expect(scoIdFor('file', { hashes: sha256 })).toBe('file--70221dbf-52fd-5377-9619-c0ce6b3ffc8c');
    const fooDll = {
      hashes: { 'SHA-256': 'fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db' },
      name: 'foo.dll',
    };
    expect(scoIdFor('file', fooDll)).toBe('file--949eb97a-da1e-5292-8959-03c4249dc9f3');
  });

  it('hashes non-ASCII names as UTF-8 (spec file example "quêry.dll")', () => {
    const file = {
      hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
      name: 'quêry.dll',
    };
    expect(scoIdFor('file', file)).toBe('file--7d1e3a18-89e7-5bc5-be36-9879f5b7f5c8');
  });

  it('gives the builders the spec ids', () => {
    expect(buildIpv4Address('198.51.100.3').id).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    expect(buildIpv6Address('2001:0db8::/96').id).toBe('ipv6-addr--084d3b4c-7785-568a-a569-0c61c95754ab');
    expect(buildDomainName('example.com').id).toBe('domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7');
    expect(buildUrl('https://example.com/research/index.html').id).toBe('url--47c3cf9a-5027-5bf0-997a-017c7edc7c55');
    expect(buildEmailAddress('john@example.com').id).toBe('email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934');
    expect(buildAutonomousSystem('AS15139').id).toBe('autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff');
    expect(buildFileWithHash('SHA-256', 'ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a').id).toBe(
      'file--70221dbf-52fd-5377-9619-c0ce6b3ffc8c',
    );
  });
});

describe('scoIdFor', () => {
  it('falls back to the first hash key when none of MD5, SHA-1, SHA-256, SHA-512 is present', () => {
    const tlsh = 'T1' + 'A'.repeat(68);
    expect(scoIdFor('file', { hashes: { TLSH: tlsh, SSDEEP: '3:a:b' } })).toBe(
      `file--${independentUuidV5(STIX_SCO_ID_NAMESPACE, `{"hashes":{"TLSH":"${tlsh}"}}`)}`,
    );
  });

  it('uses a random UUIDv4 when no ID contributing property is present (§2.9)', () => {
    const first = scoIdFor('file', {});
    expect(first).toMatch(/^file--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(scoIdFor('file', {})).not.toBe(first);
  });
});

describe('uuidV5', () => {
  it('matches an independent RFC 4122 §4.3 implementation, including for non-ASCII names and lone surrogates', () => {
    for (const name of ['', 'www.example.com', '{"value":"198.51.100.3"}', 'quêry.dll 😂', 'lone \ud800 surrogate']) {
      expect(uuidV5(parseUuidNamespace(STIX_SCO_ID_NAMESPACE), name)).toBe(
        independentUuidV5(STIX_SCO_ID_NAMESPACE, name),
      );
    }
  });

  it('matches the RFC 9562 appendix A.4 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5(parseUuidNamespace('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('Vigia deterministic SDO ids', () => {
  it('gives an organisation the same identity id every time, and different organisations different ids', () => {
    const id = identityIdForOrganisation('0b7f8a52-3c1e-4f55-9d0e-2a6c1b9e7d41');
    expect(id).toBe(`identity--${independentUuidV5(VIGIA_IDENTITY_NAMESPACE, '0b7f8a52-3c1e-4f55-9d0e-2a6c1b9e7d41')}`);
    expect(identityIdForOrganisation('0b7f8a52-3c1e-4f55-9d0e-2a6c1b9e7d41')).toBe(id);
    expect(identityIdForOrganisation('another-organisation')).not.toBe(id);
  });

  it('maps one pattern to one indicator id', () => {
    const pattern = "[ipv4-addr:value = '198.51.100.7']";
    expect(indicatorIdForPattern(pattern)).toBe(`indicator--${independentUuidV5(VIGIA_INDICATOR_NAMESPACE, pattern)}`);
    expect(indicatorIdForPattern("[ipv4-addr:value = '198.51.100.8']")).not.toBe(indicatorIdForPattern(pattern));
  });

  it('maps a CVE, whatever its case, to one vulnerability id', () => {
    expect(vulnerabilityIdForCve('cve-2021-44228')).toBe(vulnerabilityIdForCve('CVE-2021-44228'));
    expect(vulnerabilityIdForCve('CVE-2021-44228')).toBe(
      `vulnerability--${independentUuidV5(VIGIA_VULNERABILITY_NAMESPACE, 'CVE-2021-44228')}`,
    );
  });

  it('gives one sighting id per sighted object and identity', () => {
    const indicator = indicatorIdForPattern("[ipv4-addr:value = '198.51.100.7']");
    const identity = identityIdForOrganisation('org-2');
    expect(sightingIdFor(indicator, identity)).toBe(
      `sighting--${independentUuidV5(VIGIA_SIGHTING_NAMESPACE, `${indicator} ${identity}`)}`,
    );
    expect(sightingIdFor(indicator, identityIdForOrganisation('org-3'))).not.toBe(sightingIdFor(indicator, identity));
  });

  it('never uses the SCO namespace, which §2.9 reserves for SCOs', () => {
    const namespaces = [
      VIGIA_IDENTITY_NAMESPACE,
      VIGIA_INDICATOR_NAMESPACE,
      VIGIA_VULNERABILITY_NAMESPACE,
      VIGIA_SIGHTING_NAMESPACE,
    ];
    expect(new Set([...namespaces, STIX_SCO_ID_NAMESPACE]).size).toBe(5);
  });
});

/** RFC 4122 §4.3 written out step by step, independent of the implementation under test. */
function independentUuidV5(namespace: string, name: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1')
    .update(Buffer.concat([namespaceBytes, Buffer.from(name, 'utf8')]))
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}
