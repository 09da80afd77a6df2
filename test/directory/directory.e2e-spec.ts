import { NestExpressApplication } from '@nestjs/platform-express';
import {
  OrganisationKind,
  OrganisationRepository,
  OrganisationStatus,
  UserRole,
  writeDirectoryEntry,
} from '@vigia/database';
import request from 'supertest';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { expiredPublicKey, revokedPublicKey, testKeyPair } from '../support/pgp-keys';

const HOUR_S = 3600;

const publicKey = async (options: { keyExpirationTime?: number } = {}): Promise<string> =>
  (await testKeyPair('duty@cert.example', options)).publicKey;

/** One card's properties as RFC 6350 reads them: unfolded, parameters parsed, text values unescaped. */
interface ParsedProperty {
  name: string;
  parameters: Record<string, string>;
  value: string;
}

const unescapeText = (value: string): string =>
  value.replace(/\\([\\,;nN])/g, (_, character: string) => (character.toLowerCase() === 'n' ? '\n' : character));

/** A small RFC 6350 reader: every line must end in CRLF, cards must open and close, VERSION must be 4.0. */
function parseVcards(text: string): ParsedProperty[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .slice(0, -1);
  const cards: ParsedProperty[][] = [];
  let current: ParsedProperty[] | undefined;
  for (const line of lines) {
    // The name and parameters end at the first colon outside a quoted parameter value.
    const match = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:]*))*):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${line}`);
    const [, name, parameterText, value] = match as unknown as [string, string, string, string];
    const parameters = Object.fromEntries(
      [...parameterText.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^";:]*)/g)].map(([, key, raw]) => [
        key!.toUpperCase(),
        raw!.replace(/^"|"$/g, ''),
      ]),
    );
    const property = { name: name.toUpperCase(), parameters, value };
    if (property.name === 'BEGIN') {
      expect(current).toBeUndefined();
      current = [];
    } else if (property.name === 'END') {
      cards.push(current!);
      current = undefined;
    } else current!.push(property);
  }
  expect(current).toBeUndefined();
  for (const card of cards) expect(card[0]).toEqual({ name: 'VERSION', parameters: {}, value: '4.0' });
  return cards;
}

const one = (card: ParsedProperty[], name: string): ParsedProperty => {
  const found = card.filter((property) => property.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('portal: the 24/7 directory', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let orgA: string;
  let orgB: string;
  let keyA: string;
  let adminA: string;
  let adminB: string;
  let analystA: string;
  let coordinator: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    const a = await createOrganisationWithApiKey(context.dataSource, {
      name: 'CERT Alfa',
      countryCode: 'UY',
      sector: 'government',
    });
    orgA = a.organisation.id;
    keyA = a.apiKey;
    orgB = (await createOrganisation(context.dataSource, { name: 'CSIRT Bravo', countryCode: 'AR', sector: 'energy' }))
      .id;
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    adminA = (await createPerson(app, orgA, UserRole.OrgAdmin)).authorization;
    adminB = (await createPerson(app, orgB, UserRole.OrgAdmin)).authorization;
    analystA = (await createPerson(app, orgA, UserRole.Analyst)).authorization;
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const put = (organisationId: string, body: object, authorization = adminA) =>
    request(app.getHttpServer())
      .put(`/api/v1/directory/${organisationId}`)
      .set('Authorization', authorization)
      .send(body);
  const get = (path: string, headers: Record<string, string> = { Authorization: analystA }) =>
    request(app.getHttpServer()).get(`/api/v1/directory${path}`).set(headers);

  const contact = (overrides: Record<string, unknown> = {}) => ({
    name: 'Duty officer',
    role: 'Incident desk',
    email: 'duty@cert-alfa.example',
    phone: '+598 2 123 4567',
    time_zone: 'america/montevideo',
    languages: ['ES', 'en'],
    hours: '24/7',
    ...overrides,
  });

  const entryBody = (overrides: Record<string, unknown> = {}) => ({
    website: 'https://cert-alfa.example',
    mandate: 'Decree 451/009',
    description: 'National CSIRT',
    contacts: [contact()],
    constituency: { cidrs: ['198.51.100.0/24', '2001:DB8::/32'], asns: ['AS64500'], domains: ['.Bücher.example'] },
    ...overrides,
  });

  const auditEvents = async (organisationId: string) =>
    (await context.dataSource.query(
      `SELECT action, actor_user_id, target_type, target_id, details FROM audit_events
        WHERE organisation_id = $1 AND action = 'directory.entry_updated' ORDER BY id`,
      [organisationId],
    )) as { action: string; target_type: string; target_id: string; details: Record<string, unknown> }[];

  it('shows an organisation that never wrote its entry with an empty one', async () => {
    const answer = await get(`/${orgB}`).expect(200);
    expect(answer.body).toEqual({
      organisation: {
        id: orgB,
        name: 'CSIRT Bravo',
        short_name: expect.any(String),
        kind: OrganisationKind.NationalCsirt,
        country: 'AR',
        sector: 'energy',
      },
      website: null,
      mandate: null,
      description: null,
      updated_at: null,
      contacts: [],
      constituency: { cidrs: [], asns: [], domains: [] },
    });
  });

  it('lets an org-admin replace their entry, canonicalised, and audits it with before and after', async () => {
    const key = await publicKey({ keyExpirationTime: 90 * 24 * HOUR_S });
    const answer = await put(orgA, entryBody({ contacts: [contact({ pgp_key: key })] })).expect(200);
    expect(answer.body).toMatchObject({
      organisation: { id: orgA, name: 'CERT Alfa', country: 'UY', sector: 'government' },
      website: 'https://cert-alfa.example',
      mandate: 'Decree 451/009',
      description: 'National CSIRT',
      updated_at: expect.any(String),
      contacts: [
        {
          id: expect.any(String),
          name: 'Duty officer',
          email: 'duty@cert-alfa.example',
          phone: '+59821234567',
          pgp_key: { fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/), expires_at: expect.any(String) },
          time_zone: 'America/Montevideo',
          languages: ['es', 'en'],
          hours: '24/7',
          last_confirmed_at: null,
        },
      ],
      constituency: { cidrs: ['198.51.100.0/24', '2001:db8::/32'], asns: [64500], domains: ['xn--bcher-kva.example'] },
    });
    expect(JSON.stringify(answer.body)).not.toContain('BEGIN PGP');
    expect(new Date(answer.body.contacts[0].pgp_key.expires_at).getTime()).toBeGreaterThan(
      Date.now() + 89 * 24 * HOUR_S * 1000,
    );
    await get(`/${orgA}`, { 'X-Api-Key': keyA }).expect(200, answer.body);

    const [event] = await auditEvents(orgA);
    expect(event).toMatchObject({ target_type: 'directory_entry', target_id: orgA });
    expect(event!.details).toMatchObject({
      changed: ['website', 'mandate', 'description', 'contacts', 'constituency'],
      before: { website: null, contacts: [], constituency: { cidrs: [], asns: [], domains: [] } },
      after: {
        website: 'https://cert-alfa.example',
        contacts: [
          {
            email: 'duty@cert-alfa.example',
            pgp_fingerprint: answer.body.contacts[0].pgp_key.fingerprint,
            phone: '+59821234567',
          },
        ],
        constituency: { cidrs: ['198.51.100.0/24', '2001:db8::/32'], asns: [64500] },
      },
    });
    expect(JSON.stringify(event!.details)).not.toContain('BEGIN PGP');
  });

  it('keeps a contact (id and key) whose address stays when the key is left out, and drops the others', async () => {
    const before = (await get(`/${orgA}`).expect(200)).body;
    const kept = before.contacts[0];
    const answer = await put(
      orgA,
      entryBody({
        description: null,
        contacts: [
          contact({ email: 'night@cert-alfa.example', name: 'Night desk' }),
          contact({ email: 'DUTY@cert-alfa.example', hours: 'Mon-Fri 09:00-18:00' }),
        ],
      }),
    ).expect(200);
    expect(answer.body.description).toBeNull();
    expect(answer.body.contacts.map((c: { email: string }) => c.email)).toEqual([
      'night@cert-alfa.example',
      'DUTY@cert-alfa.example',
    ]);
    expect(answer.body.contacts[1]).toMatchObject({ id: kept.id, pgp_key: kept.pgp_key, hours: 'Mon-Fri 09:00-18:00' });
    expect(answer.body.contacts[0].pgp_key).toBeNull();

    const cleared = await put(orgA, entryBody({ contacts: [contact({ pgp_key: null })] })).expect(200);
    expect(cleared.body.contacts).toHaveLength(1);
    expect(cleared.body.contacts[0]).toMatchObject({ id: kept.id, pgp_key: null });

    const events = await auditEvents(orgA);
    expect(events).toHaveLength(3);
    expect(events[1]!.details).toMatchObject({ changed: ['description', 'contacts'] });
    expect(events[2]!.details).toMatchObject({
      before: { contacts: [{ email: 'night@cert-alfa.example' }, { email: 'DUTY@cert-alfa.example' }] },
      after: { contacts: [{ email: 'duty@cert-alfa.example', pgp_fingerprint: null }] },
    });
  });

  it('lets the coordinator edit any organisation and refuses other organisations’ admins (404) and analysts (403)', async () => {
    await put(orgB, entryBody({ contacts: [] }), adminA).expect(404);
    await put(orgA, entryBody(), adminB).expect(404);
    await put(orgA, entryBody(), analystA).expect(403);
    await request(app.getHttpServer())
      .put(`/api/v1/directory/${orgA}`)
      .set('X-Api-Key', keyA)
      .send(entryBody())
      .expect(403);
    const before = await auditEvents(orgB);
    const answer = await put(
      orgB,
      entryBody({
        website: null,
        contacts: [contact({ email: 'soc@bravo.example', time_zone: 'America/Argentina/Buenos_Aires' })],
        constituency: { cidrs: ['203.0.113.0/24'] },
      }),
      coordinator,
    ).expect(200);
    expect(answer.body.constituency).toEqual({ cidrs: ['203.0.113.0/24'], asns: [], domains: [] });
    expect(await auditEvents(orgB)).toHaveLength(before.length + 1);
    await put('00000000-0000-4000-8000-000000000000', entryBody(), coordinator).expect(404);
  });

  it('writes an entry inside another feature’s transaction: all of it with the commit, none of it on a rollback', async () => {
    const organisation = await createOrganisation(context.dataSource, { name: 'CERT Approved', countryCode: 'CL' });
    const input = {
      profile: { website: 'https://approved.example', mandate: 'Charter', description: null },
      contacts: [
        {
          name: 'Duty',
          role: 'Desk',
          email: 'duty@approved.example',
          phone: '+5491112345678',
          pgpKey: null,
          timeZone: 'America/Argentina/Buenos_Aires',
          languages: ['es'],
          hours: '24/7',
        },
      ],
      constituency: { cidrs: ['192.0.2.0/24'], asns: [64510], domains: ['approved.example'] },
    };
    await expect(
      context.dataSource.transaction(async (manager) => {
        await writeDirectoryEntry(manager, organisation.id, input);
        throw new Error('the approval failed');
      }),
    ).rejects.toThrow('the approval failed');
    expect((await get(`/${organisation.id}`).expect(200)).body).toMatchObject({ updated_at: null, contacts: [] });

    await context.dataSource.transaction((manager) => writeDirectoryEntry(manager, organisation.id, input));
    expect((await get(`/${organisation.id}`).expect(200)).body).toMatchObject({
      website: 'https://approved.example',
      mandate: 'Charter',
      contacts: [{ email: 'duty@approved.example', phone: '+5491112345678', languages: ['es'], pgp_key: null }],
      constituency: { cidrs: ['192.0.2.0/24'], asns: [64510], domains: ['approved.example'] },
    });
  });

  it('refuses bad input with a reason for each field, and changes nothing', async () => {
    const before = (await get(`/${orgA}`).expect(200)).body;
    const answer = await put(orgA, {
      website: 'ftp://cert.example',
      contacts: [
        contact({ phone: '0800 1234', time_zone: 'Mars/Olympus_Mons', languages: ['xx'], email: 'not-an-address' }),
        contact({ time_zone: '+03:00', name: '' }),
      ],
      constituency: {
        cidrs: ['198.51.100.1/24', '10.0.0.0/33'],
        asns: [4294967296, 'ASX'],
        domains: ['bad..example', 'a b.example'],
      },
    }).expect(400);
    const paths = (answer.body.details as { path: string; reason: string }[]).map((detail) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'website',
        'contacts[0].phone',
        'contacts[0].time_zone',
        'contacts[0].languages',
        'contacts[0].email',
        'contacts[1].time_zone',
        'contacts[1].name',
        'constituency.cidrs[0]',
        'constituency.cidrs[1]',
        'constituency.asns[0]',
        'constituency.asns[1]',
        'constituency.domains[0]',
        'constituency.domains[1]',
      ]),
    );
    const reasonAt = (path: string) =>
      (answer.body.details as { path: string; reason: string }[]).find((detail) => detail.path === path)!.reason;
    expect(reasonAt('contacts[0].phone')).toMatch(/E\.164/);
    expect(reasonAt('contacts[0].time_zone')).toMatch(/IANA/);
    expect(reasonAt('constituency.asns[0]')).toMatch(/out of range/);
    expect(reasonAt('constituency.cidrs[0]')).toMatch(/host bits|198\.51\.100\.0\/24/);
    expect((await get(`/${orgA}`).expect(200)).body).toEqual(before);
  });

  it('refuses expired, revoked and unreadable OpenPGP keys and repeated addresses, with the reason', async () => {
    const expired = await expiredPublicKey('x@cert.example');
    const revoked = await revokedPublicKey('x@cert.example');
    const pair = await testKeyPair('x@cert.example');
    const answer = await put(
      orgA,
      entryBody({
        contacts: [
          contact({ email: 'one@cert-alfa.example', pgp_key: expired }),
          contact({ email: 'two@cert-alfa.example', pgp_key: revoked }),
          contact({ email: 'three@cert-alfa.example', pgp_key: 'not a key' }),
          contact({ email: 'One@cert-alfa.example' }),
          contact({ email: 'four@cert-alfa.example', pgp_key: pair.privateKey }),
        ],
      }),
    ).expect(400);
    expect(answer.body.details).toEqual([
      { path: 'contacts[3].email', value: 'One@cert-alfa.example', reason: expect.stringMatching(/contacts\[0\]/) },
      { path: 'contacts[0].pgp_key', reason: expect.stringMatching(/^the key expired on \d{4}-/) },
      { path: 'contacts[1].pgp_key', reason: 'the key is revoked' },
      { path: 'contacts[2].pgp_key', reason: 'not an ASCII-armored OpenPGP public key' },
      { path: 'contacts[4].pgp_key', reason: expect.stringMatching(/private key/) },
    ]);
  });

  it('searches active members by country, sector, kind and name, a page at a time', async () => {
    await createOrganisation(context.dataSource, {
      name: 'CERT Suspendido',
      countryCode: 'UY',
      status: OrganisationStatus.Suspended,
    });
    await createOrganisation(context.dataSource, {
      name: 'CERT Charlie',
      countryCode: 'UY',
      kind: OrganisationKind.SectorCsirt,
      sector: 'Energy',
    });
    const names = (body: { items: { organisation: { name: string } }[] }) =>
      body.items.map((item) => item.organisation.name);

    const uruguay = (await get('?country=uy').expect(200)).body;
    expect(names(uruguay)).toEqual(['CERT Alfa', 'CERT Charlie']);
    expect(uruguay).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect(uruguay.items[0].contacts).toHaveLength(1);
    expect(names((await get('?sector=energy').expect(200)).body)).toEqual(['CERT Charlie', 'CSIRT Bravo']);
    expect(names((await get('?kind=sector-csirt').expect(200)).body)).toEqual(['CERT Charlie']);
    expect(names((await get('?name=BRAV').expect(200)).body)).toEqual(['CSIRT Bravo']);
    expect(names((await get('?name=%25').expect(200)).body)).toEqual([]);

    const second = (await get('?name=c&limit=1&offset=1').expect(200)).body;
    expect(second).toMatchObject({ limit: 1, offset: 1 });
    expect(second.items).toHaveLength(1);
    expect(second.total).toBeGreaterThanOrEqual(3);
    expect((await get(`?limit=1&offset=${second.total}`).expect(200)).body).toMatchObject({
      items: [],
      total: second.total,
    });

    const bad = await get('?country=XX&kind=bank&limit=0').expect(400);
    expect((bad.body.details as { path: string }[]).map((detail) => detail.path).sort()).toEqual([
      'country',
      'kind',
      'limit',
    ]);
  });

  it('hides an organisation that is not active from other members, not from its own people or the coordinator', async () => {
    const suspended = await createOrganisation(context.dataSource, { status: OrganisationStatus.Suspended });
    await get(`/${suspended.id}`).expect(404);
    await get(`/${suspended.id}`, { Authorization: coordinator }).expect(200);
    await get('/00000000-0000-4000-8000-000000000000').expect(404);
    await get('/not-a-uuid').expect(400);
  });

  it('exports JSON and vCard 4.0, one card per contact, escaped, with the key and its fingerprint; audited', async () => {
    const key = await publicKey();
    const written = await put(
      orgA,
      entryBody({
        contacts: [
          contact({
            name: 'Ops; night, shift\\B',
            email: 'ops@cert-alfa.example',
            pgp_key: key,
            languages: ['es', 'pt'],
          }),
          contact({ email: 'duty@cert-alfa.example', hours: 'Weekdays 8-20\nWeekends on call' }),
        ],
      }),
    ).expect(200);

    const json = await get('/export?format=json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(json.text) as { organisations: { organisation: { id: string } }[] };
    const exportedA = document.organisations.find((entry) => entry.organisation.id === orgA);
    expect(exportedA).toEqual(written.body);

    const vcf = await get('/export?format=vcard').expect(200);
    expect(vcf.headers['content-type']).toMatch(/^text\/vcard/);
    expect(vcf.headers['content-disposition']).toContain('directory.vcf');
    const cards = parseVcards(vcf.text);
    const total = document.organisations.reduce(
      (sum, entry) => sum + (entry as unknown as { contacts: unknown[] }).contacts.length,
      0,
    );
    expect(cards).toHaveLength(total);
    const ops = cards.find((card) => one(card, 'EMAIL').value === 'ops@cert-alfa.example')!;
    expect(unescapeText(one(ops, 'FN').value)).toBe('Ops; night, shift\\B');
    expect(one(ops, 'FN').value).toBe('Ops\\; night\\, shift\\\\B');
    expect(one(ops, 'ORG').value).toBe('CERT Alfa');
    expect(one(ops, 'TEL')).toEqual({
      name: 'TEL',
      parameters: { VALUE: 'uri', TYPE: 'voice,work' },
      value: 'tel:+59821234567',
    });
    expect(one(ops, 'TZ').value).toBe('America/Montevideo');
    expect(ops.filter((property) => property.name === 'LANG').map((property) => property.value)).toEqual(['es', 'pt']);
    const keyProperty = one(ops, 'KEY');
    expect(keyProperty.parameters.MEDIATYPE).toBe('application/pgp-keys');
    const [, base64] = keyProperty.value.split('base64,');
    expect(Buffer.from(base64!, 'base64').toString('utf8')).toBe(key.trim());
    expect(unescapeText(one(ops, 'NOTE').value)).toContain(
      `OpenPGP fingerprint: ${written.body.contacts[0].pgp_key.fingerprint}`,
    );
    const duty = cards.find((card) => one(card, 'EMAIL').value === 'duty@cert-alfa.example')!;
    expect(unescapeText(one(duty, 'NOTE').value)).toBe('Hours: Weekdays 8-20\nWeekends on call');
    expect(duty.some((property) => property.name === 'KEY')).toBe(false);

    await get('/export?format=pdf').expect(400);
    const exports = (await context.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'directory.exported' ORDER BY id`,
    )) as { details: { format: string; contacts: number } }[];
    expect(exports.map((event) => event.details.format)).toEqual(['json', 'vcard']);
    expect(exports[1]!.details.contacts).toBe(total);
  });
});
