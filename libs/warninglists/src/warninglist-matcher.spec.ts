import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndicatorType } from '@vigia/indicators';
import { loadWarninglists } from './load-warninglists';
import { WarninglistError, parseWarninglist } from './warninglist';
import { WarninglistMatcher } from './warninglist-matcher';

const builtIn = new WarninglistMatcher(loadWarninglists({ dirs: [], documentationRanges: false }));
const withDocumentation = new WarninglistMatcher(loadWarninglists({ dirs: [], documentationRanges: true }));

describe('built-in warninglists', () => {
  it.each([
    [IndicatorType.Ipv4, '10.1.2.3', 'rfc1918'],
    [IndicatorType.Ipv4, '172.31.255.255', 'rfc1918'],
    [IndicatorType.Ipv4, '192.168.0.0/16', 'rfc1918'],
    [IndicatorType.Ipv4, '100.64.12.1', 'rfc6598'],
    [IndicatorType.Ipv4, '127.0.0.1', 'loopback'],
    [IndicatorType.Ipv4, '169.254.169.254', 'link-local'],
    [IndicatorType.Ipv4, '0.1.2.3', 'reserved-ip-ranges'],
    [IndicatorType.Ipv4, '239.255.255.250', 'reserved-ip-ranges'],
    [IndicatorType.Ipv4, '255.255.255.255', 'reserved-ip-ranges'],
    [IndicatorType.Ipv4, '8.8.8.8', 'public-dns-resolvers'],
    [IndicatorType.Ipv4, '1.1.1.1', 'public-dns-resolvers'],
    [IndicatorType.Ipv4, '9.9.9.9', 'public-dns-resolvers'],
    [IndicatorType.Ipv6, '::1', 'loopback'],
    [IndicatorType.Ipv6, 'fd12:3456::1', 'rfc4193'],
    [IndicatorType.Ipv6, 'fe80::1', 'link-local'],
    [IndicatorType.Ipv6, 'ff02::1', 'reserved-ip-ranges'],
    [IndicatorType.Ipv6, '2001:4860:4860::8888', 'public-dns-resolvers'],
    [IndicatorType.Domain, 'google.com', 'top-domains'],
    [IndicatorType.Domain, 'mail.google.com', 'top-domains'],
    [IndicatorType.Domain, 'a.b.c.microsoft.com', 'top-domains'],
    [IndicatorType.Url, 'https://www.google.com/', 'top-domains'],
    [IndicatorType.Url, 'http://192.168.1.1/admin.php', 'rfc1918'],
    [IndicatorType.Url, 'http://[::1]:8080/x', 'loopback'],
    [IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427e', 'empty-file-hashes'],
    [IndicatorType.Sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'empty-file-hashes'],
  ])('%s %s is on %s', (type, value, list) => {
    expect(builtIn.match(type, value)).toBe(list);
  });

  it.each([
    [IndicatorType.Ipv4, '11.0.0.1'],
    [IndicatorType.Ipv4, '172.32.0.1'],
    [IndicatorType.Ipv4, '8.8.8.9'],
    [IndicatorType.Ipv4, '198.51.100.7'],
    [IndicatorType.Ipv6, '2001:db8::1'],
    [IndicatorType.Ipv6, '2a00:1450::1'],
    [IndicatorType.Domain, 'google.com.evil.example'],
    [IndicatorType.Domain, 'notgoogle.com'],
    [IndicatorType.Domain, 'attacker.github.io'],
    [IndicatorType.Url, 'https://docs.google.com/forms/d/e/phish/viewform'],
    [IndicatorType.Url, 'https://www.google.com/?q=1'],
    [IndicatorType.Email, 'ceo-payroll@gmail.com'],
    [IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427f'],
    [IndicatorType.Asn, '15169'],
    [IndicatorType.Cve, 'CVE-2021-44228'],
  ])('%s %s is on no list', (type, value) => {
    expect(builtIn.match(type, value)).toBeUndefined();
  });

  it('suppresses a network that overlaps a listed range, either way round', () => {
    expect(builtIn.match(IndicatorType.Ipv4, '10.20.0.0/16')).toBe('rfc1918');
    expect(builtIn.match(IndicatorType.Ipv4, '8.8.8.0/24')).toBe('public-dns-resolvers');
    expect(builtIn.match(IndicatorType.Ipv4, '8.0.0.0/8')).toBe('public-dns-resolvers');
    expect(builtIn.match(IndicatorType.Ipv4, '8.8.9.0/24')).toBeUndefined();
    expect(builtIn.match(IndicatorType.Ipv6, 'fd00::/8')).toBe('rfc4193');
    expect(builtIn.match(IndicatorType.Ipv6, 'fc00::/6')).toBe('link-local'); // also overlaps fe80::/10, listed first
  });

  it('holds the documentation ranges only when configured', () => {
    for (const [type, value] of [
      [IndicatorType.Ipv4, '192.0.2.1'],
      [IndicatorType.Ipv4, '198.51.100.0/24'],
      [IndicatorType.Ipv4, '203.0.113.250'],
      [IndicatorType.Ipv6, '2001:db8:1::1'],
    ] as const) {
      expect(builtIn.match(type, value)).toBeUndefined();
      expect(withDocumentation.match(type, value)).toBe('documentation-ranges');
    }
  });

  it('ships about two hundred top domains and none where anyone gets a subdomain', () => {
    const top = builtIn.lists.find((list) => list.name === 'top-domains')!;
    expect(top.entries.length).toBeGreaterThanOrEqual(200);
    for (const shared of ['github.io', 'blogspot.com', 'amazonaws.com', 'googleapis.com', 'sharepoint.com']) {
      expect(top.entries).not.toContain(shared);
    }
  });
});

describe('loading lists', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'warninglists-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const write = (file: string, content: unknown) => writeFileSync(join(directory, file), JSON.stringify(content));

  it('adds the lists of configured directories', () => {
    write('corp.json', { name: 'corp', description: 'ours', type: 'domain', entries: ['*.Corp.Example.'] });
    write('partner.json', { name: 'partner', description: 'theirs', type: 'cidr', entries: ['203.0.113.0/25'] });
    write('notes.txt', 'ignored');
    const matcher = new WarninglistMatcher(loadWarninglists({ dirs: [directory], documentationRanges: false }));
    expect(matcher.match(IndicatorType.Domain, 'vpn.corp.example')).toBe('corp');
    expect(matcher.match(IndicatorType.Ipv4, '203.0.113.9')).toBe('partner');
    expect(matcher.match(IndicatorType.Ipv4, '203.0.113.200')).toBeUndefined();
  });

  it('stops at a bad file, naming it and the problem', () => {
    write('bad.json', { name: 'bad', description: '', type: 'cidr', entries: ['10.0.0.0/40'] });
    expect(() => loadWarninglists({ dirs: [directory], documentationRanges: false })).toThrow(
      /bad\.json: "10\.0\.0\.0\/40" is not an IP address or CIDR block/,
    );
  });

  it('refuses a list name used twice and a missing directory', () => {
    write('again.json', { name: 'rfc1918', description: '', type: 'cidr', entries: [] });
    expect(() => loadWarninglists({ dirs: [directory], documentationRanges: false })).toThrow(/already used/);
    expect(() => loadWarninglists({ dirs: [join(directory, 'nope')], documentationRanges: false })).toThrow(
      /does not exist/,
    );
  });

  it.each([
    [[], /must be a JSON object/],
    [{ name: 'Bad Name', description: '', type: 'cidr', entries: [] }, /name must be/],
    [{ name: 'x', description: '', type: 'regex', entries: [] }, /type must be one of cidr, domain, exact/],
    [{ name: 'x', description: '', type: 'exact', entries: [1] }, /entries must be an array of strings/],
    [{ name: 'x', description: '', type: 'domain', entries: ['a b.com'] }, /is not a domain name/],
  ])('validates the file format (%j)', (content, message) => {
    expect(() => parseWarninglist(content, 'list.json')).toThrow(WarninglistError);
    expect(() => parseWarninglist(content, 'list.json')).toThrow(message);
  });
});
