import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { decryptedText, testKeyPair } from '../support/pgp-keys';
import { TestSmtpServer } from '../support/smtp-server';
import { bootWorkerApp } from '../support/worker-app';
import { applicationBody, dutyContact } from '../factories/application.factory';

/** What a refusal must look like: a 4xx naming the field and why, never a 500 or a bare message. */
interface Refusal {
  status: number;
  /** Where one problem in `details` is: its path, or the start of it (deep input is reported where it gets too deep). */
  path?: string;
  /** Matches that problem's reason (or the message when there are no details). */
  reason: RegExp;
}

const NUL = 'Duty\u0000officer';
const LONE_SURROGATE = 'Duty \uD800 officer';
/** JSON text nested `levels` deep (as text: JSON serialisers give up long before a hostile sender does). */
const deepJson = (levels: number): string => `${'{"nested":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
const deepArrayJson = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** A body as JSON text with `raw` spliced in at `field`. */
const withRaw = (body: Record<string, unknown>, field: string, raw: string): string =>
  JSON.stringify({ ...body, [field]: '__RAW__' }).replace('"__RAW__"', raw);
const deep = (levels: number): unknown => JSON.parse(deepJson(levels)) as unknown;

describe('hostile input on onboarding, directory, mail log and e-mail channels', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let orgA: string;
  let adminA: string;
  let coordinator: string;
  let publicKey: string;
  let privateKey: string;

  beforeAll(async () => {
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0', APPLICATION_RATE_LIMIT_PER_HOUR: '1000' });
    app = await bootPortalApp(context.config);
    orgA = (await createOrganisation(context.dataSource, { name: 'CERT Alfa' })).id;
    adminA = (await createPerson(app, orgA, UserRole.OrgAdmin)).authorization;
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    const pair = await testKeyPair('duty@cert.example');
    publicKey = pair.publicKey;
    privateKey = pair.privateKey;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  const expectRefusal = (answer: request.Response, refusal: Refusal): void => {
    const shown = JSON.stringify(answer.body).slice(0, 600);
    expect({ status: answer.status, shown }).toEqual({ status: refusal.status, shown });
    const path = refusal.path;
    if (path !== undefined) {
      const details = (answer.body.details ?? []) as { path: string; reason: string }[];
      const at = (detailPath: string): boolean =>
        detailPath === path || detailPath.startsWith(`${path}.`) || detailPath.startsWith(`${path}[`);
      const matching = details.filter((detail) => at(detail.path) && refusal.reason.test(detail.reason));
      expect({ matched: matching.length > 0, shown }).toEqual({ matched: true, shown });
    } else {
      expect(answer.body.message).toMatch(refusal.reason);
    }
  };

  const contact = (overrides: Record<string, unknown> = {}) =>
    dutyContact({
      email: 'duty@cert-alfa.example',
      phone: '+598 2 123 4567',
      time_zone: 'America/Montevideo',
      ...overrides,
    });

  describe('PUT /api/v1/directory/:organisationId', () => {
    const put = (body: unknown, path = `/api/v1/directory/${orgA}`) =>
      http()
        .put(path)
        .set('Authorization', adminA)
        .send(body as object);

    it.each<[string, () => unknown, Refusal]>([
      [
        'a NUL in a contact name',
        () => ({ contacts: [contact({ name: NUL })] }),
        { status: 400, path: 'contacts[0].name', reason: /NUL/ },
      ],
      [
        'a lone surrogate in the description',
        () => ({ description: LONE_SURROGATE }),
        { status: 400, path: 'description', reason: /surrogate/ },
      ],
      [
        'a NUL in a property name',
        () => ({ 'mandate\u0000': 'x' }),
        { status: 400, path: '"mandate\\u0000"', reason: /property name.*NUL/ },
      ],
      [
        'an over-long mandate',
        () => ({ mandate: 'x'.repeat(2001) }),
        { status: 400, path: 'mandate', reason: /shorter than or equal to 2000/ },
      ],
      ['contacts as a string', () => ({ contacts: 'everyone' }), { status: 400, path: 'contacts', reason: /array/ }],
      [
        'a contact that is a number',
        () => ({ contacts: [42] }),
        { status: 400, path: 'contacts[0]', reason: /object/ },
      ],
      [
        'too many contacts',
        () => ({ contacts: Array.from({ length: 21 }, (_, index) => contact({ email: `d${index}@x.example` })) }),
        { status: 400, path: 'contacts', reason: /no more than 20/ },
      ],
      [
        'a huge constituency',
        () => ({
          constituency: { cidrs: Array.from({ length: 5000 }, (_, index) => `10.${index >> 8}.${index & 255}.0/24`) },
        }),
        { status: 400, path: 'constituency.cidrs', reason: /no more than 1000/ },
      ],
      [
        'an ASN list of objects',
        () => ({ constituency: { asns: [{ as: 1 }] } }),
        { status: 400, path: 'constituency.asns[0]', reason: /AS number/i },
      ],
      [
        'a PGP key field holding garbage',
        () => ({ contacts: [contact({ pgp_key: 'not a key at all' })] }),
        { status: 400, path: 'contacts[0].pgp_key', reason: /not an ASCII-armored OpenPGP public key/ },
      ],
      [
        'a PGP key field holding a private key',
        () => ({ contacts: [contact({ pgp_key: privateKey })] }),
        { status: 400, path: 'contacts[0].pgp_key', reason: /private key/ },
      ],
      [
        'a PGP key field holding a number',
        () => ({ contacts: [contact({ pgp_key: 12 })] }),
        { status: 400, path: 'contacts[0].pgp_key', reason: /string/ },
      ],
      [
        'an address whose local part needs SMTPUTF8',
        () => ({ contacts: [contact({ email: 'guardía@cert-alfa.example' })] }),
        { status: 400, path: 'contacts[0].email', reason: /e-mail address/ },
      ],
      [
        'a phone that is not E.164',
        () => ({ contacts: [contact({ phone: '+0 800 FLOWERS' })] }),
        { status: 400, path: 'contacts[0].phone', reason: /E\.164/ },
      ],
      [
        'a time zone that is an offset',
        () => ({ contacts: [contact({ time_zone: '+03:00' })] }),
        { status: 400, path: 'contacts[0].time_zone', reason: /IANA/ },
      ],
      [
        'a line break in a contact name (it would travel in mail headers)',
        () => ({ contacts: [contact({ name: 'Duty\r\nBcc: victim@example.org' })] }),
        { status: 400, path: 'contacts[0].name', reason: /line/ },
      ],
      ['an array as the body', () => [1, 2], { status: 400, reason: /./ }],
    ])('refuses %s', async (_, body, refusal) => {
      expectRefusal(await put(body()), refusal);
    });

    it('refuses JSON nested thousands deep, in objects and in arrays, before anything recurses into it', async () => {
      for (const [field, raw] of [
        ['description', deepJson(5000)],
        ['contacts', deepArrayJson(5000)],
        ['constituency', deepJson(50_000)],
      ] as const) {
        const answer = await http()
          .put(`/api/v1/directory/${orgA}`)
          .set('Authorization', adminA)
          .set('Content-Type', 'application/json')
          .send(withRaw({ mandate: 'x' }, field, raw));
        expectRefusal(answer, { status: 400, path: field, reason: /nested deeper than 16 levels/ });
      }
    });

    it('refuses a bad UUID in the path, and an unknown organisation is a 404', async () => {
      expectRefusal(await put({}, '/api/v1/directory/not-a-uuid'), { status: 400, reason: /uuid/ });
      expectRefusal(await put({}, '/api/v1/directory/00000000-0000-4000-8000-000000000000'), {
        status: 404,
        reason: /./,
      });
    });

    it('takes __proto__ and constructor keys as plain data, polluting nothing', async () => {
      const body =
        '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, ' +
        '"mandate": "Decree 1/2020", "contacts": [{"__proto__": {"isAdmin": true}, "name": "x"}]}';
      const answer = await http()
        .put(`/api/v1/directory/${orgA}`)
        .set('Authorization', adminA)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.details.map((detail: { path: string }) => detail.path)).toContain('contacts[0].email');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('refuses a path that is not valid percent-encoding', async () => {
      for (const path of ['/api/v1/directory/%E0%A4%A', '/api/v1/directory/%ED%A0%80', '/api/v1/applications/%']) {
        const answer = await http().get(path).set('Authorization', coordinator);
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(answer.body.error).toBe('VALIDATION_FAILED');
      }
    });

    it('refuses malformed JSON with the parser’s reason', async () => {
      const answer = await http()
        .put(`/api/v1/directory/${orgA}`)
        .set('Authorization', adminA)
        .set('Content-Type', 'application/json')
        .send('{"contacts": [');
      expectRefusal(answer, { status: 400, reason: /JSON/ });
    });
  });

  describe('directory queries', () => {
    const get = (path: string, query: Record<string, unknown>) =>
      http().get(path).query(query).set('Authorization', adminA);

    it.each<[string, string, Record<string, unknown>, Refusal]>([
      ['lookup with no value', 'lookup', {}, { status: 400, path: 'value', reason: /address, a domain name or an AS/ }],
      ['lookup with a NUL', 'lookup', { value: 'cert\u0000.example' }, { status: 400, path: 'value', reason: /NUL/ }],
      ['lookup of a URL', 'lookup', { value: 'https://x.example/' }, { status: 400, path: 'value', reason: /URL/ }],
      [
        'lookup of an over-long value',
        'lookup',
        { value: 'a'.repeat(301) },
        { status: 400, path: 'value', reason: /300/ },
      ],
      [
        'lookup of two values',
        'lookup',
        { value: ['1.2.3.4', '5.6.7.8'] },
        { status: 400, path: 'value', reason: /./ },
      ],
      ['lookup of a bad address', 'lookup', { value: '300.1.1.1' }, { status: 400, path: 'value', reason: /./ }],
      [
        'lookup of an AS number out of range',
        'lookup',
        { value: 'AS4294967296' },
        { status: 400, path: 'value', reason: /./ },
      ],
      ['search by a made-up kind', '', { kind: 'pirates' }, { status: 400, path: 'kind', reason: /one of/ }],
      ['search with a huge offset', '', { offset: '1e12' }, { status: 400, path: 'offset', reason: /./ }],
      ['search with an offset past bigint', '', { offset: '1e20' }, { status: 400, path: 'offset', reason: /./ }],
      ['search with a NUL in the name', '', { name: 'a\u0000b' }, { status: 400, path: 'name', reason: /NUL/ }],
      ['export as PDF', 'export', { format: 'pdf' }, { status: 400, path: 'format', reason: /json, vcard/ }],
    ])('refuses %s', async (_, route, query, refusal) => {
      expectRefusal(await get(`/api/v1/directory${route ? `/${route}` : ''}`, query), refusal);
    });
  });

  describe('reachability checks', () => {
    it('refuses a bad window and a bad check id', async () => {
      expectRefusal(
        await http()
          .post('/api/v1/directory/reachability-checks')
          .set('Authorization', coordinator)
          .send({ respond_within_hours: '72' }),
        { status: 400, path: 'respond_within_hours', reason: /integer/ },
      );
      expectRefusal(
        await http()
          .post('/api/v1/directory/reachability-checks')
          .set('Authorization', coordinator)
          .send({ respond_within_hours: 1e9 }),
        { status: 400, path: 'respond_within_hours', reason: /720/ },
      );
      expectRefusal(
        await http().get('/api/v1/directory/reachability-checks/1%27%20OR%201=1').set('Authorization', coordinator),
        { status: 400, reason: /uuid/ },
      );
    });

    it('answers 404 to a confirmation token that is unknown or full of odd characters, 400 to one that is no text', async () => {
      const confirm = (body: unknown) =>
        http()
          .post('/api/v1/directory/confirmations')
          .send(body as object);
      for (const token of ['x', '\uD83D\uDCA9'.repeat(10), '../../etc/passwd', ' '.repeat(43)]) {
        expectRefusal(await confirm({ token }), { status: 404, reason: /link/i });
      }
      expectRefusal(await confirm({ token: 'a'.repeat(201) }), { status: 400, path: 'token', reason: /200/ });
      expectRefusal(await confirm({ token: 'a\u0000b' }), { status: 400, path: 'token', reason: /NUL/ });
      expectRefusal(await confirm({ token: 42 }), { status: 400, path: 'token', reason: /string/ });
      expectRefusal(await confirm({}), { status: 400, path: 'token', reason: /string/ });
    });
  });

  describe('constituency warning settings', () => {
    const put = (body: unknown) =>
      http()
        .put(`/api/v1/organisations/${orgA}/constituency-warnings`)
        .set('Authorization', adminA)
        .send(body as object);

    it.each<[string, unknown, Refusal]>([
      ['enabled as a string', { enabled: 'yes' }, { status: 400, path: 'enabled', reason: /boolean/ }],
      ['a made-up severity', { min_severity: 'apocalyptic' }, { status: 400, path: 'min_severity', reason: /one of/ }],
      ['channels as a list', { channels: ['email'] }, { status: 400, path: 'channels', reason: /object/ }],
      [
        'a channel as a string',
        { channels: { email: 'true' } },
        { status: 400, path: 'channels.email', reason: /boolean/ },
      ],
      ['deep channels', { channels: deep(100) }, { status: 400, path: 'channels', reason: /nested deeper/ }],
    ])('refuses %s', async (_, body, refusal) => {
      expectRefusal(await put(body), refusal);
    });

    it('refuses a bad organisation id', async () => {
      expectRefusal(
        await http().put('/api/v1/organisations/nope/constituency-warnings').set('Authorization', adminA).send({}),
        { status: 400, reason: /uuid/ },
      );
    });
  });

  describe('GET /api/v1/mail-log', () => {
    const list = (query: Record<string, unknown>) =>
      http().get('/api/v1/mail-log').query(query).set('Authorization', coordinator);

    it.each<[string, Record<string, unknown>, Refusal]>([
      [
        'a cursor that is not one',
        { cursor: 'bm90IGEgY3Vyc29y' },
        { status: 400, path: 'cursor', reason: /not a cursor/ },
      ],
      ['a cursor of odd characters', { cursor: '%%%' }, { status: 400, path: 'cursor', reason: /not a cursor/ }],
      [
        'a cursor on 30 February',
        {
          cursor: Buffer.from('2025-02-30T10:00:00.000000Z 00000000-0000-4000-8000-000000000000').toString('base64url'),
        },
        { status: 400, path: 'cursor', reason: /not a cursor/ },
      ],
      [
        'a cursor with an impossible date',
        {
          cursor: Buffer.from('2025-13-45T25:61:61.000000Z 00000000-0000-4000-8000-000000000000').toString('base64url'),
        },
        { status: 400, path: 'cursor', reason: /not a cursor/ },
      ],
      ['an over-long cursor', { cursor: 'A'.repeat(10_000) }, { status: 400, path: 'cursor', reason: /./ }],
      ['a NUL in the category', { category: 'warning\u0000' }, { status: 400, path: 'category', reason: /NUL/ }],
      ['a made-up status', { status: 'lost' }, { status: 400, path: 'status', reason: /one of/ }],
      ['a recipient that is no address', { recipient: 'nobody' }, { status: 400, path: 'recipient', reason: /e-mail/ }],
      ['a limit of zero', { limit: 0 }, { status: 400, path: 'limit', reason: /./ }],
      ['two limits', { limit: [1, 2] }, { status: 400, path: 'limit', reason: /./ }],
    ])('refuses %s', async (_, query, refusal) => {
      expectRefusal(await list(query), refusal);
    });
  });

  describe('subscription e-mail channels', () => {
    const create = (channel: Record<string, unknown>) =>
      http()
        .post('/api/v1/subscriptions')
        .set('Authorization', adminA)
        .send({ name: 'Mail me', channels: [{ type: 'email', address: 'soc@cert-alfa.example', ...channel }] });

    it.each<[string, Record<string, unknown>, Refusal]>([
      ['no address', { address: undefined }, { status: 400, path: 'channels[0].address', reason: /e-mail address/ }],
      [
        'an address with a NUL',
        { address: 'soc\u0000@x.example' },
        { status: 400, path: 'channels[0].address', reason: /NUL/ },
      ],
      ['a made-up mode', { mode: 'weekly' }, { status: 400, path: 'channels[0].mode', reason: /one of/ }],
      ['a made-up language', { language: 'klingon' }, { status: 400, path: 'channels[0].language', reason: /one of/ }],
      [
        'a key field holding garbage',
        { pgp_public_key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnonsense\n-----END PGP PUBLIC KEY BLOCK-----' },
        { status: 400, path: 'channels[0].pgp_public_key', reason: /not an ASCII-armored OpenPGP public key/ },
      ],
      [
        'a key field holding a private key',
        { pgp_public_key: 'PRIVATE' },
        { status: 400, path: 'channels[0].pgp_public_key', reason: /private key/ },
      ],
      [
        'an over-long key',
        { pgp_public_key: 'A'.repeat(70_000) },
        { status: 400, path: 'channels[0].pgp_public_key', reason: /65536/ },
      ],
    ])('refuses %s', async (_, channel, refusal) => {
      const body = channel.pgp_public_key === 'PRIVATE' ? { ...channel, pgp_public_key: privateKey } : channel;
      expectRefusal(await create(body), refusal);
    });
  });

  describe('organisation status change', () => {
    const patch = (body: unknown, id = orgA) =>
      http()
        .patch(`/api/v1/organisations/${id}/status`)
        .set('Authorization', coordinator)
        .send(body as object);

    it.each<[string, unknown, Refusal]>([
      ['no reason', { status: 'suspended' }, { status: 400, path: 'reason', reason: /string/ }],
      [
        'a NUL in the reason',
        { status: 'suspended', reason: 'leaked\u0000key' },
        { status: 400, path: 'reason', reason: /NUL/ },
      ],
      [
        'an over-long reason',
        { status: 'suspended', reason: 'x'.repeat(1001) },
        { status: 400, path: 'reason', reason: /1000/ },
      ],
      [
        'a made-up status',
        { status: 'banished', reason: 'because' },
        { status: 400, path: 'status', reason: /one of/ },
      ],
      [
        'a reason that is a list',
        { status: 'suspended', reason: ['a', 'b'] },
        { status: 400, path: 'reason', reason: /string/ },
      ],
    ])('refuses %s', async (_, body, refusal) => {
      expectRefusal(await patch(body), refusal);
    });

    it('refuses a bad UUID', async () => {
      expectRefusal(await patch({ status: 'suspended', reason: 'because' }, 'x'), { status: 400, reason: /uuid/ });
    });
  });

  describe('applications', () => {
    const formToken = async (): Promise<string> =>
      (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string;
    const application = (overrides: Record<string, unknown> = {}) =>
      applicationBody({ team_name: 'CERT Hostile', contacts: [contact({ pgp_key: publicKey })], ...overrides });
    const submit = async (overrides: Record<string, unknown>) =>
      http()
        .post('/api/v1/applications')
        .send({ form_token: await formToken(), ...application(overrides) });

    it.each<[string, Record<string, unknown>, Refusal]>([
      ['a NUL in the team name', { team_name: `CERT${NUL}` }, { status: 400, path: 'team_name', reason: /NUL/ }],
      [
        'a lone surrogate in the mandate',
        { mandate: LONE_SURROGATE },
        { status: 400, path: 'mandate', reason: /surrogate/ },
      ],
      [
        'a line break in the team name',
        { team_name: 'CERT\nBcc: x@y.example' },
        { status: 400, path: 'team_name', reason: /line/ },
      ],
      ['an over-long team name', { team_name: 'x'.repeat(201) }, { status: 400, path: 'team_name', reason: /200/ }],
      ['a kind that is a number', { kind: 3 }, { status: 400, path: 'kind', reason: /one of/ }],
      ['the coordinator kind', { kind: 'coordinator' }, { status: 400, path: 'kind', reason: /one of/ }],
      ['no constituency at all', { constituency: {} }, { status: 400, path: 'constituency', reason: /at least one/ }],
      [
        'a constituency that is a string',
        { constituency: '10.0.0.0/8' },
        { status: 400, path: 'constituency', reason: /./ },
      ],
      [
        'a private key for a contact',
        { contacts: [contact({ pgp_key: 'PRIVATE' })] },
        { status: 400, path: 'contacts[0].pgp_key', reason: /private key/ },
      ],
      [
        'garbage for a contact key',
        { contacts: [contact({ pgp_key: 'garbage' })] },
        { status: 400, path: 'contacts[0].pgp_key', reason: /not an ASCII-armored/ },
      ],
      ['a homepage that is deep', { homepage: deep(1000) }, { status: 400, path: 'homepage', reason: /nested deeper/ }],
      ['a contact list of nulls', { contacts: [null] }, { status: 400, path: 'contacts[0]', reason: /./ }],
      [
        'a made-up language',
        { preferred_language: 'xx' },
        { status: 400, path: 'preferred_language', reason: /one of/ },
      ],
      [
        'a website that is javascript',
        { website: 'javascript:alert(1)' },
        { status: 400, path: 'website', reason: /http/ },
      ],
    ])('refuses %s', async (_, overrides, refusal) => {
      const contacts = overrides.contacts as Record<string, unknown>[] | undefined;
      const withKeys =
        contacts?.[0]?.pgp_key === 'PRIVATE'
          ? { ...overrides, contacts: [contact({ pgp_key: privateKey })] }
          : overrides;
      expectRefusal(await submit(withKeys), refusal);
    });

    it('never shows a key back, even a private key sent by mistake, on any route that takes one', async () => {
      const answers = await Promise.all([
        submit({ contacts: [contact({ pgp_key: privateKey })] }),
        http()
          .put(`/api/v1/directory/${orgA}`)
          .set('Authorization', adminA)
          .send({ contacts: [contact({ pgp_key: privateKey })] }),
        http()
          .post('/api/v1/subscriptions')
          .set('Authorization', adminA)
          .send({
            name: 'Mail me',
            channels: [{ type: 'email', address: 'soc@x.example', pgp_public_key: privateKey }],
          }),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(JSON.stringify(answer.body)).toMatch(/private key/);
        expect(JSON.stringify(answer.body)).not.toContain('BEGIN PGP');
      }
    });

    it('refuses a forged form token and a NUL in one', async () => {
      expectRefusal(
        await http()
          .post('/api/v1/applications')
          .send({ form_token: 'forged', ...application() }),
        {
          status: 400,
          path: 'form_token',
          reason: /./,
        },
      );
      expectRefusal(
        await http()
          .post('/api/v1/applications')
          .send({ form_token: 'a\u0000b', ...application() }),
        {
          status: 400,
          path: 'form_token',
          reason: /NUL/,
        },
      );
    });

    it.each<[string, string, unknown, Refusal]>([
      ['verify with no token', 'verify', {}, { status: 400, path: 'token', reason: /string/ }],
      ['verify with an unknown token', 'verify', { token: 'x'.repeat(40) }, { status: 400, reason: /link/ }],
      [
        'verify with a token list',
        'verify',
        { token: ['x'.repeat(40)] },
        { status: 400, path: 'token', reason: /string/ },
      ],
      [
        'view with an over-long token',
        'applicant/view',
        { token: 'x'.repeat(201) },
        { status: 400, path: 'token', reason: /200/ },
      ],
      [
        'answer with a NUL',
        'applicant/answer',
        { token: 'x'.repeat(40), answer: NUL },
        { status: 400, path: 'answer', reason: /NUL/ },
      ],
      [
        'withdraw with a deep reason',
        'applicant/withdraw',
        { token: 'x'.repeat(40), reason: deep(50) },
        { status: 400, path: 'reason', reason: /nested deeper/ },
      ],
    ])('refuses %s', async (_, route, body, refusal) => {
      expectRefusal(
        await http()
          .post(`/api/v1/applications/${route}`)
          .send(body as object),
        refusal,
      );
    });

    it.each<[string, string, unknown, Refusal]>([
      [
        'a transition with a NUL reason',
        'transitions',
        { status: 'rejected', reason: NUL },
        { status: 400, path: 'reason', reason: /NUL/ },
      ],
      [
        'a transition to withdrawn',
        'transitions',
        { status: 'withdrawn' },
        { status: 400, path: 'status', reason: /one of/ },
      ],
      [
        'a rejection without a reason',
        'transitions',
        { status: 'rejected' },
        { status: 400, path: 'reason', reason: /required/ },
      ],
      [
        'a bad short name',
        'transitions',
        { status: 'approved', short_name: '../etc' },
        { status: 400, path: 'short_name', reason: /lower-case/ },
      ],
      [
        'a comment of 5001 characters',
        'comments',
        { comment: 'x'.repeat(5001) },
        { status: 400, path: 'comment', reason: /5000/ },
      ],
      [
        'an external endorsement with no endorser',
        'external-endorsements',
        { comment: 'yes' },
        { status: 400, path: 'endorser', reason: /string/ },
      ],
    ])('refuses %s', async (_, route, body, refusal) => {
      const answer = await http()
        .post(`/api/v1/applications/00000000-0000-4000-8000-000000000000/${route}`)
        .set('Authorization', coordinator)
        .send(body as object);
      expectRefusal(answer, refusal);
    });

    it('refuses bad ids and list filters', async () => {
      expectRefusal(await http().get('/api/v1/applications/zzz').set('Authorization', coordinator), {
        status: 400,
        reason: /uuid/,
      });
      expectRefusal(
        await http().get('/api/v1/applications').query({ verified: 'maybe' }).set('Authorization', coordinator),
        { status: 400, path: 'verified', reason: /boolean/ },
      );
      for (const offset of [-1, '1e20', '9223372036854775808', 'NaN']) {
        expectRefusal(await http().get('/api/v1/applications').query({ offset }).set('Authorization', coordinator), {
          status: 400,
          path: 'offset',
          reason: /./,
        });
      }
    });
  });
});

describe('what the directory accepts, the worker mails', () => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let portal: NestExpressApplication;
  let worker: NestExpressApplication;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    context = await createTestContext({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://portal.network.example' });
    [portal, worker] = await Promise.all([bootPortalApp(context.config), bootWorkerApp(context.config)]);
  });

  afterAll(async () => {
    await Promise.all([portal?.close(), worker?.close()]);
    await context?.cleanup();
    await smtp?.close();
  });

  it('sends the reachability mail of a contact with every odd-but-valid value the API takes', async () => {
    const organisation = await createOrganisation(context.dataSource, { name: 'CERT Ñandú «Sur» 🦤' });
    const admin = (await createPerson(portal, organisation.id, UserRole.OrgAdmin)).authorization;
    const coordinating = await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    const coordinator = (await createPerson(portal, coordinating.id, UserRole.Coordinator)).authorization;
    const { publicKey, privateKey } = await testKeyPair('guardia@bücher.example');
    await request(portal.getHttpServer())
      .put(`/api/v1/directory/${organisation.id}`)
      .set('Authorization', admin)
      .send({
        description: 'Línea 1\nLínea 2\t— «cita» 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200d',
        contacts: [
          {
            name: `Guardia "24/7" <Ñandú> ${'x'.repeat(150)}`,
            role: 'Incident desk; on-call, \\ backslash',
            email: '  Guardia+CERT@Bücher.Example ',
            phone: '+598 (2) 123-4567',
            time_zone: 'america/argentina/buenos_aires',
            languages: ['ES'],
            hours: 'Lunes a viernes 8–20\nFines de semana: guardia',
            pgp_key: `\n${publicKey}\n`,
          },
        ],
      })
      .expect(200);
    await request(portal.getHttpServer())
      .post('/api/v1/directory/reachability-checks')
      .set('Authorization', coordinator)
      .send({})
      .expect(201);
    const mail = await smtp.waitForMail({ subject: /CERT Ñandú «Sur» 🦤/ });
    // Sent with the domain in punycode (mail-transport.spec.ts); smtp-server reads it back as Unicode.
    expect(mail.to).toEqual(['guardia+cert@bücher.example']);
    expect(await decryptedText(mail.text, privateKey)).toMatch(/\/directory\/confirm\?token=[A-Za-z0-9_-]{43}&lang=es/);
    const [stored] = (await context.dataSource.query(`SELECT status, last_error FROM mails`)) as {
      status: string;
      last_error: string | null;
    }[];
    expect(stored).toEqual({ status: 'sent', last_error: null });
  });
});
