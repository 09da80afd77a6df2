import mispEvent from '../../../test/fixtures/misp-event.json';
import { IndicatorType } from './indicator-type';
import {
  mapMispEvent,
  MAX_MISP_EVENTS_PER_DOCUMENT,
  MispMapping,
  MispMapResult,
  splitMispDocument,
  stixTypeOfGalaxy,
} from './misp';
import { canonicaliseIndicator } from './canonicalise-indicator';
import { Severity } from './severity';
import { TlpLevel } from './tlp';

const T = IndicatorType;

function mapped(result: MispMapResult): MispMapping {
  if ('errors' in result) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result;
}

/** A minimal event around the given attributes, for focused cases. */
function eventWith(members: Record<string, unknown>): unknown {
  return { Event: { info: 'Test event', date: '2024-05-02', threat_level_id: '2', ...members } };
}

function attribute(type: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, category: 'Network activity', to_ids: true, value, ...extra };
}

describe('mapMispEvent', () => {
  describe('with a real-world shaped export', () => {
    const result = mapped(mapMispEvent(mispEvent));

    it('maps the event to a report', () => {
      expect(result.report).toEqual({
        title: 'Phishing campaign impersonating the national tax agency delivers AgentTesla',
        description:
          'Since 15 March 2024 citizens receive mails pretending to come from the tax agency and offering a refund.\n' +
          'The link leads to a credential harvesting page; the attachment installs AgentTesla.\n\n' +
          'Lure mails were sent in Spanish and Catalan between 15 and 18 March 2024.',
        tlp: TlpLevel.Amber,
        severity: Severity.High,
        rsit: { classification: 'fraud', type: 'phishing' },
        firstSeen: '2024-03-14T22:40:01.123Z',
        lastSeen: '2024-03-19T07:45:00.000Z',
        // The galaxy tag is a cluster now (`galaxies`), no plain tag.
        tags: ['type:OSINT', 'workflow:state="complete"'],
        externalId: '5e1f8c3a-6b0d-4c2e-9a71-3f2d8b4e6a10',
      });
    });

    it('maps the supported attribute types, splitting composite values', () => {
      expect(result.indicators.map(({ type, value }) => [type, value])).toEqual([
        [T.Domain, 'taxrefund-portal.example'],
        [T.Url, 'hxxps://taxrefund-portal[.]example/secure/login.php?ref=TR-2024'],
        [T.Ipv4, '203.0.113.45'],
        [T.Ipv6, '2001:db8:85a3::8a2e:370:7334'],
        [T.Domain, 'cdn-update.example'],
        [T.Ipv4, '198.51.100.23'],
        [T.Email, 'noreply@taxrefund-portal.example'],
        [T.Sha256, '239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5'],
        [T.Md5, '741bbfe6375f736d064a3e23f004676d'],
        [T.Cve, 'CVE-2017-11882'],
        [T.Asn, 'AS64500'],
        [T.Domain, 'mail.taxrefund-portal.example'],
        [T.Md5, '321c3cf486ed509164edec1e1981fec8'],
        [T.Sha1, 'f07e5a815613c5abeddc4b682247a4c42d8a95df'],
        [T.Sha256, 'a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b080299f9cd83e41'],
        [T.Domain, 'api.telegram-relay.example'],
        [T.Ipv4, '198.51.100.200'],
      ]);
    });

    it('carries comment, seen dates, to_ids and the source path', () => {
      expect(result.indicators[0]).toEqual({
        type: T.Domain,
        value: 'taxrefund-portal.example',
        comment: 'Phishing landing page',
        firstSeen: '2024-03-15T06:12:44.000Z',
        lastSeen: '2024-03-18T21:03:10.000Z',
        toIds: true,
        observable: false,
        path: 'Event.Attribute[0]',
      });
      const decoy = result.indicators.find((indicator) => indicator.value === '741bbfe6375f736d064a3e23f004676d');
      expect(decoy).toMatchObject({ toIds: false, comment: 'Benign decoy PDF shipped with the payload' });
    });

    it('gives object attributes their own comment or else the object comment', () => {
      const byValue = (value: string) => result.indicators.find((indicator) => indicator.value === value);
      expect(byValue('321c3cf486ed509164edec1e1981fec8')).toMatchObject({
        comment: 'Dropped payload (AgentTesla)',
        path: 'Event.Object[0].Attribute[1]',
      });
      expect(byValue('a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b080299f9cd83e41')?.comment).toBe(
        'Unpacked stage 2',
      );
      expect(byValue('198.51.100.200')?.comment).toBeUndefined();
    });

    it('uses value1 when value is absent', () => {
      expect(result.indicators).toContainEqual(
        expect.objectContaining({ value: 'mail.taxrefund-portal.example', path: 'Event.Attribute[14]' }),
      );
    });

    it('reports what it did not import, with reasons', () => {
      expect(result.skipped).toEqual([
        {
          path: 'Event.Attribute[10]',
          misp_type: 'link',
          value: 'https://www.virustotal.com/gui/file/239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5',
          reason: 'unsupported MISP type link',
        },
        {
          path: 'Event.Attribute[12]',
          misp_type: 'ip-src',
          value: '192.0.2.77',
          reason: 'the attribute is deleted (revoked) in MISP',
        },
        {
          path: 'Event.Attribute[13]',
          misp_type: 'sha1',
          value: 'ca118f05d354d16d50ffe2f421abce38d8bacffc',
          reason:
            "the attribute is TLP:RED, more restrictive than the report's TLP:AMBER; share it in a separate report",
        },
        {
          path: 'Event.Attribute[15]',
          misp_type: 'regkey',
          value: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\WinUpdate',
          reason: 'unsupported MISP type regkey',
        },
        expect.objectContaining({ path: 'Event.Attribute[16]', reason: 'unsupported MISP type ssdeep' }),
        // The file object's filename and size are the STIX file's name and size: not skipped.
        {
          path: 'Event.Object[2].Attribute[0]',
          misp_type: 'url',
          value: 'http://staging.cdn-update.example/a.exe',
          reason: 'the MISP object holding it is deleted',
        },
      ]);
      expect(result.notes).toEqual([]);
    });

    it('yields values that all pass canonicalisation', () => {
      const failures = result.indicators
        .map((indicator) => ({ indicator, result: canonicaliseIndicator(indicator.type, indicator.value) }))
        .filter(({ result: canonical }) => !canonical.ok);
      expect(failures).toEqual([]);
    });
  });

  describe('TLP', () => {
    it('defaults to amber with a note when the event has no tlp tag', () => {
      const result = mapped(mapMispEvent(eventWith({ Tag: [{ name: 'type:OSINT' }] })));
      expect(result.report.tlp).toBe(TlpLevel.Amber);
      expect(result.notes).toContainEqual({
        path: 'Event.Tag',
        note: 'the event has no tlp:* tag; the report defaults to TLP:AMBER',
      });
    });

    it('reads TLP 1.0 white as clear', () => {
      expect(mapped(mapMispEvent(eventWith({ Tag: [{ name: 'tlp:white' }] }))).report.tlp).toBe(TlpLevel.Clear);
    });

    it('takes the most restrictive of several tlp tags', () => {
      const result = mapped(
        mapMispEvent(eventWith({ Tag: [{ name: 'tlp:green' }, { name: 'tlp:amber+strict' }, { name: 'tlp:clear' }] })),
      );
      expect(result.report.tlp).toBe(TlpLevel.AmberStrict);
      expect(result.notes[0].note).toMatch(/most restrictive, TLP:AMBER\+STRICT/);
    });

    it('keeps non-FIRST tlp tags as plain tags', () => {
      const result = mapped(mapMispEvent(eventWith({ Tag: [{ name: 'tlp:green' }, { name: 'tlp:ex:chr' }] })));
      expect(result.report.tlp).toBe(TlpLevel.Green);
      expect(result.report.tags).toEqual(['tlp:ex:chr']);
    });

    it('imports attributes whose own TLP is not stricter than the report', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({
            Tag: [{ name: 'tlp:amber' }],
            Attribute: [attribute('ip-dst', '192.0.2.10', { Tag: [{ name: 'tlp:clear' }] })],
          }),
        ),
      );
      expect(result.indicators).toHaveLength(1);
    });
  });

  describe('threat level', () => {
    it.each([
      ['1', Severity.High],
      ['2', Severity.Medium],
      ['3', Severity.Low],
      [3, Severity.Low],
    ])('maps threat_level_id %j to %s', (level, severity) => {
      expect(mapped(mapMispEvent(eventWith({ threat_level_id: level }))).report.severity).toBe(severity);
    });

    it('sets no severity for 4 (undefined), and notes unknown levels', () => {
      expect(mapped(mapMispEvent(eventWith({ threat_level_id: '4' }))).report).not.toHaveProperty('severity');
      const result = mapped(mapMispEvent(eventWith({ threat_level_id: '9' })));
      expect(result.report).not.toHaveProperty('severity');
      expect(result.notes).toContainEqual({
        path: 'Event.threat_level_id',
        note: 'unknown threat level "9"; no severity set',
      });
    });
  });

  describe('attributes', () => {
    it.each([
      ['ip-src', '192.0.2.1', [[T.Ipv4, '192.0.2.1']]],
      ['ip-src', '2001:db8::5', [[T.Ipv6, '2001:db8::5']]],
      ['ip-dst', '198.51.100.0/24', [[T.Ipv4, '198.51.100.0/24']]],
      ['ip-src|port', '192.0.2.1|3389', [[T.Ipv4, '192.0.2.1']]],
      ['ip-dst|port', '2001:db8::1|443', [[T.Ipv6, '2001:db8::1']]],
      ['hostname', 'vpn.example.org', [[T.Domain, 'vpn.example.org']]],
      ['hostname|port', 'vpn.example.org|8443', [[T.Domain, 'vpn.example.org']]],
      [
        'domain|ip',
        'evil.example|2001:db8::7',
        [
          [T.Domain, 'evil.example'],
          [T.Ipv6, '2001:db8::7'],
        ],
      ],
      ['email', 'a@example.org', [[T.Email, 'a@example.org']]],
      ['email-dst', 'victim@example.org', [[T.Email, 'victim@example.org']]],
      ['sha512', 'ab'.repeat(64), [[T.Sha512, 'ab'.repeat(64)]]],
      [
        'filename|md5',
        'invoice|copy.pdf.exe|d41d8cd98f00b204e9800998ecf8427e',
        [[T.Md5, 'd41d8cd98f00b204e9800998ecf8427e']],
      ],
      [
        'filename|sha1',
        'x.dll|da39a3ee5e6b4b0d3255bfef95601890afd80709',
        [[T.Sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709']],
      ],
      ['filename|sha512', `y.bin|${'cd'.repeat(64)}`, [[T.Sha512, 'cd'.repeat(64)]]],
      ['malware-sample', 'sample.exe|d41d8cd98f00b204e9800998ecf8427e', [[T.Md5, 'd41d8cd98f00b204e9800998ecf8427e']]],
      ['vulnerability', 'CVE-2024-3400', [[T.Cve, 'CVE-2024-3400']]],
      ['AS', '64496', [[T.Asn, '64496']]],
    ])('maps %s %s', (type, value, expected) => {
      const result = mapped(mapMispEvent(eventWith({ Attribute: [attribute(type, value)] })));
      expect(result.indicators.map((indicator) => [indicator.type, indicator.value])).toEqual(expected);
      expect(result.skipped).toEqual([]);
    });

    it('uses value1 and value2 of composite types when value is absent', () => {
      const domainIp = { type: 'domain|ip', to_ids: true, value1: 'evil.example', value2: '192.0.2.9' };
      const result = mapped(mapMispEvent(eventWith({ Attribute: [domainIp] })));
      expect(result.indicators.map((indicator) => indicator.value)).toEqual(['evil.example', '192.0.2.9']);
    });

    it('does not canonicalise values', () => {
      const result = mapped(mapMispEvent(eventWith({ Attribute: [attribute('domain', ' Evil[.]Example ')] })));
      expect(result.indicators[0].value).toBe(' Evil[.]Example ');
    });

    it('skips malformed attributes with reasons', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({
            Attribute: [
              'not an object',
              { value: '192.0.2.1' },
              attribute('ip-dst', ''),
              attribute('domain|ip', 'evil.example'),
              { type: 'md5', to_ids: true },
            ],
          }),
        ),
      );
      expect(result.indicators).toEqual([]);
      expect(result.skipped).toEqual([
        { path: 'Event.Attribute[0]', misp_type: '', reason: 'not a MISP attribute (expected an object)' },
        { path: 'Event.Attribute[1]', misp_type: '', value: '192.0.2.1', reason: 'the attribute has no type' },
        { path: 'Event.Attribute[2]', misp_type: 'ip-dst', value: '', reason: 'the attribute has no value' },
        {
          path: 'Event.Attribute[3]',
          misp_type: 'domain|ip',
          value: 'evil.example',
          reason: 'MISP type domain|ip needs a value like "a|b"',
        },
        { path: 'Event.Attribute[4]', misp_type: 'md5', reason: 'the attribute has no value' },
      ]);
    });

    it('treats only an explicit true to_ids as actionable', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({
            Attribute: [
              attribute('ip-dst', '192.0.2.1', { to_ids: false }),
              attribute('ip-dst', '192.0.2.2', { to_ids: undefined }),
              attribute('ip-dst', '192.0.2.3', { to_ids: '1' }),
            ],
          }),
        ),
      );
      expect(result.indicators.map((indicator) => indicator.toIds)).toEqual([false, false, true]);
    });

    it('drops unreadable seen dates with a note', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({
            Attribute: [
              attribute('ip-dst', '192.0.2.1', {
                first_seen: '2024-02-30T10:00:00+00:00',
                last_seen: '2024-03-01T10:00:00',
              }),
            ],
          }),
        ),
      );
      expect(result.indicators[0]).not.toHaveProperty('firstSeen');
      expect(result.indicators[0]).not.toHaveProperty('lastSeen');
      expect(result.notes.map((note) => note.path).filter((path) => path.startsWith('Event.Attribute'))).toEqual([
        'Event.Attribute[0].first_seen',
        'Event.Attribute[0].last_seen',
      ]);
    });

    it('converts seen dates with offsets to UTC', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({ Attribute: [attribute('ip-dst', '192.0.2.1', { first_seen: '2024-05-01T23:30:00+02:00' })] }),
        ),
      );
      expect(result.indicators[0].firstSeen).toBe('2024-05-01T21:30:00.000Z');
      expect(result.report.firstSeen).toBe('2024-05-01T21:30:00.000Z');
      expect(result.report.lastSeen).toBe('2024-05-01T21:30:00.000Z');
    });
  });

  describe('report fields', () => {
    it('starts firstSeen at the event date when no attribute is older', () => {
      const result = mapped(mapMispEvent(eventWith({})));
      expect(result.report.firstSeen).toBe('2024-05-02T00:00:00.000Z');
      expect(result.report).not.toHaveProperty('lastSeen');
      expect(result.report).not.toHaveProperty('description');
    });

    it('keeps invalid RSIT tags as plain tags with a note, and only the first valid one', () => {
      const result = mapped(
        mapMispEvent(
          eventWith({
            Tag: [
              { name: 'tlp:green' },
              { name: 'rsit:malicious-code="phishing"' },
              { name: 'rsit:malicious-code="c2-server"' },
              { name: 'rsit:availability="ddos"' },
            ],
          }),
        ),
      );
      expect(result.report.rsit).toEqual({ classification: 'malicious-code', type: 'c2-server' });
      expect(result.report.tags).toEqual(['rsit:malicious-code="phishing"']);
      expect(result.notes.map((note) => note.note)).toEqual([
        'rsit:malicious-code="phishing" is not a current RSIT value; kept as a plain tag',
        'several RSIT tags; kept the first, ignored rsit:availability="ddos"',
      ]);
    });
  });

  describe('errors', () => {
    it.each([
      [null, '', /expected a JSON object/],
      [[], '', /expected a JSON object/],
      [
        { response: [{ Event: {} }, { Event: {} }] },
        'response',
        'this is a MISP search response with 2 events; import them one by one',
      ],
      [{ event: {} }, 'Event', /missing "Event" object/],
    ])('rejects %j', (json, path, reason) => {
      const result = mapMispEvent(json);
      expect('errors' in result && result.errors).toEqual([{ path, reason: expect.stringMatching(reason) }]);
    });

    it('lists every structural problem at once', () => {
      const result = mapMispEvent({
        Event: {
          info: '  ',
          date: '2024-02-30',
          Attribute: {},
          Object: [{ name: 'file', Attribute: 'x' }, 7],
          Tag: 'tlp:red',
        },
      });
      expect(result).toEqual({
        errors: [
          { path: 'Event.info', reason: 'must be a non-empty string (it becomes the report title)' },
          { path: 'Event.date', reason: 'must be a date as YYYY-MM-DD, got "2024-02-30"' },
          { path: 'Event.Attribute', reason: 'must be an array' },
          { path: 'Event.Tag', reason: 'must be an array' },
          { path: 'Event.Object[0].Attribute', reason: 'must be an array' },
          { path: 'Event.Object[1]', reason: 'must be a MISP object ({"name": ..., "Attribute": [...]})' },
        ],
      });
    });
  });
});

describe('mapMispEvent: galaxies, confidence and objects', () => {
  const event = (extra: Record<string, unknown>) => ({ Event: { info: 'Phishing wave', Attribute: [], ...extra } });

  it('lists galaxy clusters and misp-galaxy tags; reads misp:confidence-level', () => {
    const result = mapMispEvent(
      event({
        Tag: [{ name: 'misp:confidence-level="fairly-confident"' }, { name: 'misp-galaxy:mitre-tool="Net - S0039"' }],
        Galaxy: [
          {
            type: 'mitre-attack-pattern',
            GalaxyCluster: [
              { type: 'mitre-attack-pattern', value: 'Phishing - T1566', meta: { external_id: ['T1566'] } },
            ],
          },
        ],
        Attribute: [{ type: 'domain', to_ids: true, value: 'evil.example' }],
      }),
    ) as MispMapping;
    expect(result.report.confidence).toBe(50);
    expect(result.indicators[0]?.confidence).toBe(50);
    expect(result.galaxies.map((cluster) => [cluster.galaxyType, cluster.name, cluster.externalIds])).toEqual([
      ['mitre-attack-pattern', 'Phishing - T1566', ['T1566']],
      ['mitre-tool', 'Net - S0039', []],
    ]);
    expect(result.report.tags).toEqual([]);
  });

  it('marks only an explicit to_ids false as an observable', () => {
    const result = mapMispEvent(
      event({
        Attribute: [
          { type: 'domain', to_ids: false, value: 'a.example' },
          { type: 'domain', value: 'b.example' },
        ],
      }),
    ) as MispMapping;
    expect(result.indicators.map((indicator) => indicator.observable)).toEqual([true, false]);
  });

  it('lists the attributes of a known object that STIX has no property for as skipped', () => {
    const result = mapMispEvent(
      event({
        Object: [
          {
            name: 'file',
            Attribute: [
              { object_relation: 'filename', type: 'filename', value: 'a.exe' },
              { object_relation: 'entropy', type: 'float', value: '7.9' },
            ],
          },
        ],
      }),
    ) as MispMapping;
    expect(result.objects).toEqual([
      expect.objectContaining({
        name: 'file',
        attributes: [expect.objectContaining({ relation: 'filename', value: 'a.exe' })],
      }),
    ]);
    expect(result.skipped).toEqual([
      expect.objectContaining({ value: '7.9', reason: 'a MISP file object\'s "entropy" has no STIX counterpart' }),
    ]);
  });

  it('maps galaxy types to STIX types', () => {
    expect(
      [
        'mitre-attack-pattern',
        'threat-actor',
        'mitre-intrusion-set',
        'mitre-tool',
        'malpedia',
        'mitre-malware',
        'sector',
      ].map(stixTypeOfGalaxy),
    ).toEqual(['attack-pattern', 'threat-actor', 'intrusion-set', 'tool', 'malware', 'malware', undefined]);
  });
});

describe('splitMispDocument', () => {
  const event = { info: 'Phishing wave', Attribute: [] };

  it.each([
    ['a wrapped event', { Event: event }, 'event', ['']],
    ['a bare event', event, 'bare-event', ['']],
    [
      'search results',
      { response: [{ Event: event }, { Event: event }] },
      'search-response',
      ['response[0]', 'response[1]'],
    ],
    ['an array of wrapped and bare events', [{ Event: event }, event], 'event-list', ['[0]', '[1]']],
  ])('reads %s', (_name, json, form, paths) => {
    const split = splitMispDocument(json);
    expect('errors' in split).toBe(false);
    if ('errors' in split) return;
    expect(split.form).toBe(form);
    expect(split.events.map((item) => item.path)).toEqual(paths);
    expect(split.events.every((item) => item.wrapped.Event === event)).toBe(true);
  });

  it.each([
    [null, '', /expected a JSON object/],
    [{ hello: 'world' }, 'Event', /a bare event, \{"response": \[...\]\} or an array/],
    [{ Event: 'x' }, 'Event', /must be a MISP event object/],
    [{ response: [] }, 'response', /holds no MISP event/],
    [[{ Event: event }, 'x'], '[1]', /not a MISP event/],
    [Array.from({ length: MAX_MISP_EVENTS_PER_DOCUMENT + 1 }, () => event), '', /send at most 1000/],
  ])('refuses %j', (json, path, reason) => {
    const split = splitMispDocument(json);
    expect('errors' in split && split.errors).toEqual([{ path, reason: expect.stringMatching(reason) }]);
  });
});
