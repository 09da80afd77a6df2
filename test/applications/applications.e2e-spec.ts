import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { createPerson } from '../support/access-token';
import { createUser } from '../support/people';
import { ReceivedMail, TestSmtpServer } from '../support/smtp-server';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';
import { expiredPublicKey, testKeyPair } from '../support/pgp-keys';

describe('applications: from a team applying to its first report', () => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let portal: NestExpressApplication;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let coordinator: string;
  let adminA: string;
  let adminB: string;
  let memberA: { id: string; shortName: string };
  let contactKey: string;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    context = await createTestContext({
      SMTP_URL: smtp.url,
      APPLICATION_MIN_FILL_SECONDS: '0',
      APPLICATION_RATE_LIMIT_PER_HOUR: '1000',
      PUBLIC_URL: 'https://portal.network.example',
    });
    [portal, ingest, worker] = await Promise.all([
      bootPortalApp(context.config),
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
    ]);
    const coordinating = await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(portal, coordinating.id, UserRole.Coordinator)).authorization;
    memberA = await createOrganisation(context.dataSource, { name: 'CERT A' });
    const memberB = await createOrganisation(context.dataSource, { name: 'CSIRT B' });
    adminA = (await createPerson(portal, memberA.id, UserRole.OrgAdmin)).authorization;
    adminB = (await createPerson(portal, memberB.id, UserRole.OrgAdmin)).authorization;
    contactKey = (await testKeyPair('duty@cert.example')).publicKey;
  });

  afterAll(async () => {
    await Promise.all([portal?.close(), ingest?.close(), worker?.close()]);
    await context?.cleanup();
    await smtp?.close();
  });

  const http = () => request(portal.getHttpServer());
  const as = (authorization: string) => ({ Authorization: authorization });
  let counter = 0;

  const formToken = async (): Promise<string> =>
    (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string;

  const application = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    counter += 1;
    return {
      team_name: `CERT Ñandú ${counter}`,
      kind: 'national-csirt',
      country: 'py',
      sector: 'government',
      mandate: 'Decree 2345/2019 creates the national CSIRT',
      website: 'https://www.cert.example',
      constituency: { cidrs: ['198.51.100.0/24', '2001:DB8::/32'], asns: ['AS64500'], domains: ['*.Gov.Example'] },
      contacts: [
        {
          name: 'Duty desk',
          role: 'Incident handler on duty',
          email: `duty${counter}@cert.example`,
          phone: '+595 21 123-4567',
          time_zone: 'America/Asuncion',
          languages: ['es', 'en'],
          hours: '24/7',
          pgp_key: contactKey,
        },
      ],
      applicant_name: 'Ana Pérez',
      applicant_email: `ana${counter}@cert.example`,
      preferred_language: 'es',
      ...overrides,
    };
  };

  const submit = async (body: Record<string, unknown>): Promise<string> => {
    const answer = await http()
      .post('/api/v1/applications')
      .send({ form_token: await formToken(), ...body })
      .expect(202);
    return answer.body.id as string;
  };

  /** The mail to `to` whose subject matches, once it arrived over SMTP. */
  const mailTo = (to: string, subject: RegExp): Promise<ReceivedMail> => smtp.waitForMail({ to, subject });
  const tokenIn = (mail: ReceivedMail, path: string): string => {
    const match = new RegExp(`https://portal\\.network\\.example${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
    if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
    return match[1]!;
  };

  const move = (id: string, body: Record<string, unknown>) =>
    http().post(`/api/v1/applications/${id}/transitions`).set(as(coordinator)).send(body);

  /** Submits and verifies through the mailed link; answers the id and the applicant's link token. */
  const verifiedApplication = async (overrides: Record<string, unknown> = {}) => {
    const body = application(overrides);
    const id = await submit(body);
    const email = body.applicant_email as string;
    const verification = await mailTo(email, /./);
    await http()
      .post('/api/v1/applications/verify')
      .send({ token: tokenIn(verification, '/applications/verify') })
      .expect(200);
    const received = await waitFor('the applicant link mail', async () =>
      smtp.mailsTo({ to: email }).find((mail) => mail.text.includes('/applications/applicant?token=')),
    );
    return { id, email, applicantToken: tokenIn(received, '/applications/applicant') };
  };

  it('goes from application to a normalised report of the new member', async () => {
    const body = application();
    const email = body.applicant_email as string;
    const id = await submit(body);

    // Review cannot start before the address is confirmed; members do not see the application yet.
    const early = await move(id, { status: 'under_review' }).expect(409);
    expect(early.body.message).toMatch(/confirmed their e-mail/);
    await http().get(`/api/v1/applications/${id}`).set(as(adminA)).expect(404);

    const verification = await mailTo(email, /Confirme su dirección de correo/);
    expect(verification.text).toContain(body.team_name as string);
    const verifyToken = tokenIn(verification, '/applications/verify');
    const verified = await http().post('/api/v1/applications/verify').send({ token: verifyToken }).expect(200);
    expect(verified.body).toMatchObject({ id, status: 'submitted' });
    // The link works once.
    await http().post('/api/v1/applications/verify').send({ token: verifyToken }).expect(400);
    const received = await mailTo(email, /en revisión/);
    const firstLink = tokenIn(received, '/applications/applicant');

    await move(id, { status: 'under_review', reason: 'Complete application' }).expect(201);

    const tooFew = await move(id, { status: 'approved' }).expect(409);
    expect(tooFew.body.message).toBe('Approval needs 2 endorsements; 0 recorded: 2 more needed');

    // Members see it in review and sponsor it, once per organisation.
    const listed = await http().get('/api/v1/applications').set(as(adminA)).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(id);
    expect(listed.body.items[0]).not.toHaveProperty('applicant_email');
    await http()
      .post(`/api/v1/applications/${id}/endorsements`)
      .set(as(adminA))
      .send({ comment: 'We have worked with them for years' })
      .expect(201);
    const twice = await http()
      .post(`/api/v1/applications/${id}/endorsements`)
      .set(as(adminA))
      .send({ comment: 'Again' })
      .expect(409);
    expect(twice.body.message).toMatch(/already endorsed/);
    const oneShort = await move(id, { status: 'approved' }).expect(409);
    expect(oneShort.body.message).toMatch(/1 recorded: 1 more needed/);
    const endorsed = await http()
      .post(`/api/v1/applications/${id}/endorsements`)
      .set(as(adminB))
      .send({ comment: 'They handled a joint incident with us' })
      .expect(201);
    expect(endorsed.body.endorsements).toEqual({ count: 2, required: 2 });

    // A question, mailed with a new link; the answer puts it back in review.
    await move(id, { status: 'information_requested' }).expect(400);
    await move(id, { status: 'information_requested', reason: 'Which decree gives you your mandate?' }).expect(201);
    const waiting = await http().get(`/api/v1/applications/${id}`).set(as(coordinator)).expect(200);
    expect(waiting.body.clock).toMatchObject({ paused: true, overdue: false, waiting_working_days: 0 });
    const question = await mailTo(email, /la coordinación pide información/);
    expect(question.text).toContain('> Which decree gives you your mandate?');
    const answerToken = tokenIn(question, '/applications/applicant');
    await http().post('/api/v1/applications/applicant/view').send({ token: firstLink }).expect(400);
    const view = await http().post('/api/v1/applications/applicant/view').send({ token: answerToken }).expect(200);
    expect(view.body).toMatchObject({
      status: 'information_requested',
      question: 'Which decree gives you your mandate?',
    });
    await http()
      .post('/api/v1/applications/applicant/answer')
      .send({ token: answerToken, answer: 'Decree 2345/2019, article 3' })
      .expect(200);
    const again = await http()
      .post('/api/v1/applications/applicant/answer')
      .send({ token: answerToken, answer: 'Once more' })
      .expect(409);
    expect(again.body.message).toMatch(/not waiting for an answer: it is under_review/);

    const approved = await move(id, { status: 'approved', reason: 'Two sponsors, mandate checked' }).expect(201);
    expect(approved.body).toMatchObject({ status: 'approved', endorsements: { count: 2, required: 2 } });
    expect(approved.body.clock).toMatchObject({ target_working_days: 20, paused: false, overdue: false });
    expect(approved.body.clock.stopped_at).not.toBeNull();
    expect(
      approved.body.events.map((event: { kind: string; to_status: string | null }) =>
        [event.kind, event.to_status].filter(Boolean).join(':'),
      ),
    ).toEqual([
      'submitted:submitted',
      'verified',
      'status_changed:under_review',
      'endorsed',
      'endorsed',
      'status_changed:information_requested',
      'answered',
      'status_changed:under_review',
      'status_changed:approved',
    ]);
    expect(approved.body.contacts[0]).toMatchObject({
      phone: '+595211234567',
      pgp_key: { fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/), expires_at: null },
    });
    const organisationId = approved.body.organisation_id as string;

    // The organisation is active, with its directory entry, and no API key until its admin makes one.
    const organisation = await http().get(`/api/v1/organisations/${organisationId}`).set(as(coordinator)).expect(200);
    expect(organisation.body).toMatchObject({
      name: body.team_name,
      short_name: `cert-nandu-${/\d+$/.exec(body.team_name as string)![0]}`,
      kind: 'national-csirt',
      country: 'PY',
      status: 'active',
    });
    const directory = await context.dataSource.query(
      `SELECT c.email, c.phone, c.pgp_fingerprint IS NOT NULL AS has_key,
              (SELECT array_agg(network::text ORDER BY network) FROM directory_networks WHERE organisation_id = $1) AS cidrs,
              (SELECT array_agg(domain) FROM directory_domains WHERE organisation_id = $1) AS domains,
              (SELECT array_agg(asn) FROM directory_asns WHERE organisation_id = $1) AS asns
         FROM directory_contacts c WHERE c.organisation_id = $1`,
      [organisationId],
    );
    expect(directory).toEqual([
      {
        email: (body.contacts as { email: string }[])[0]!.email,
        phone: '+595211234567',
        has_key: true,
        cidrs: ['198.51.100.0/24', '2001:db8::/32'],
        domains: ['gov.example'],
        asns: ['64500'],
      },
    ]);
    const [{ keys }] = await context.dataSource.query(
      `SELECT count(*)::int AS keys FROM api_keys WHERE organisation_id = $1`,
      [organisationId],
    );
    expect(keys).toBe(0);

    // The applicant becomes the first org-admin through the mailed one-time invitation.
    const welcome = await mailTo(email, /Bienvenidos a la red/);
    const invitation = tokenIn(welcome, '/invitations/accept');
    await http()
      .post('/api/v1/invitations/accept')
      .send({ token: invitation, password: 'the new admin password' })
      .expect(204);
    await http()
      .post('/api/v1/invitations/accept')
      .send({ token: invitation, password: 'the new admin password' })
      .expect(400);
    const signIn = async (otp?: string): Promise<string> => {
      const answer = await http()
        .post('/api/v1/auth/login')
        .send({ email, password: 'the new admin password', otp })
        .expect(200);
      return answer.body.access_token as string;
    };
    const first = await signIn();
    const started = await http()
      .post('/api/v1/auth/totp')
      .set(as(`Bearer ${first}`))
      .expect(200);
    const totp = new TOTP({ secret: Secret.fromBase32(started.body.secret) });
    await http()
      .post('/api/v1/auth/totp/confirm')
      .set(as(`Bearer ${first}`))
      .send({ code: totp.generate() })
      .expect(200);
    const admin = `Bearer ${await signIn(totp.generate({ timestamp: Date.now() + 30_000 }))}`;
    const key = await http()
      .post(`/api/v1/organisations/${organisationId}/api-keys`)
      .set(as(admin))
      .send({ name: 'misp', scopes: ['reports:write'] })
      .expect(201);
    const report = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', key.body.secret)
      .send(reportBody())
      .expect(202);
    await waitFor('the new member’s report normalised', async () => {
      const status = await request(ingest.getHttpServer())
        .get(`/api/v1/reports/${report.body.id}`)
        .set('X-Api-Key', key.body.secret);
      return status.body.status === 'normalised' ? true : undefined;
    });

    // Every step is in the audit log.
    const audited = await context.dataSource.query(
      `SELECT action FROM audit_events WHERE target_id = $1 OR organisation_id = $2 ORDER BY id`,
      [id, organisationId],
    );
    expect(audited.map((row: { action: string }) => row.action)).toEqual(
      expect.arrayContaining([
        'application.submitted',
        'application.verified',
        'application.status_changed',
        'application.endorsed',
        'application.answered',
        'application.approved',
        'organisation.created',
        'user.invited',
        'user.invitation_accepted',
      ]),
    );
  });

  it('rejects with the coordinator’s reason, mailed in the applicant’s language; a decided application stays so', async () => {
    const { id, email, applicantToken } = await verifiedApplication({ preferred_language: 'fr' });
    const external = await http()
      .post(`/api/v1/applications/${id}/external-endorsements`)
      .set(as(coordinator))
      .send({ endorser: 'National contact point, Ministry of ICT', comment: 'Endorsed by letter of 2 May' })
      .expect(201);
    expect(external.body.endorsement_list).toEqual([
      expect.objectContaining({ organisation_id: null, external_endorser: 'National contact point, Ministry of ICT' }),
    ]);
    await move(id, { status: 'rejected' }).expect(400);
    await move(id, { status: 'rejected', reason: 'The team has no national mandate' }).expect(201);
    const mail = await mailTo(email, /non retenue/);
    expect(mail.text).toContain('> The team has no national mandate');
    const illegal = await move(id, { status: 'under_review' }).expect(409);
    expect(illegal.body.message).toBe('An application that is rejected cannot become under_review: it is decided');
    await http().post('/api/v1/applications/applicant/withdraw').send({ token: applicantToken }).expect(400);
  });

  it('is withdrawn by the applicant through their link, then cannot be approved', async () => {
    const { id, applicantToken } = await verifiedApplication({ preferred_language: 'pt' });
    await move(id, { status: 'under_review' }).expect(201);
    const withdrawn = await http()
      .post('/api/v1/applications/applicant/withdraw')
      .send({ token: applicantToken, reason: 'We joined another network first' })
      .expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await http().post('/api/v1/applications/applicant/withdraw').send({ token: applicantToken }).expect(400);
    const refused = await move(id, { status: 'approved' }).expect(409);
    expect(refused.body.message).toMatch(/withdrawn cannot become approved/);
    const history = await http().get(`/api/v1/applications/${id}`).set(as(coordinator)).expect(200);
    expect(history.body.events.at(-1)).toMatchObject({
      kind: 'status_changed',
      from_status: 'under_review',
      to_status: 'withdrawn',
      by_applicant: true,
      text: 'We joined another network first',
    });
    await http().get(`/api/v1/applications/${id}`).set(as(adminA)).expect(404);
  });

  it('approves only with a free short name and an applicant e-mail without an account; nothing is half made', async () => {
    const { id, email } = await verifiedApplication({ preferred_language: 'en', kind: 'government-cert' });
    await move(id, { status: 'under_review' }).expect(201);
    for (const admin of [adminA, adminB]) {
      await http().post(`/api/v1/applications/${id}/endorsements`).set(as(admin)).send({ comment: 'Yes' }).expect(201);
    }
    const taken = await move(id, { status: 'approved', short_name: memberA.shortName }).expect(409);
    expect(taken.body.message).toBe(
      `An organisation with short name ${memberA.shortName} exists: give another short_name`,
    );
    await createUser(context.dataSource, { organisationId: memberA.id, role: UserRole.Analyst, email });
    const account = await move(id, { status: 'approved', short_name: 'fresh-name' }).expect(409);
    expect(account.body.message).toBe(`An account with the applicant's e-mail ${email} exists`);
    const [{ organisations }] = await context.dataSource.query(
      `SELECT count(*)::int AS organisations FROM organisations WHERE short_name = 'fresh-name'`,
    );
    expect(organisations).toBe(0);
    const still = await http().get(`/api/v1/applications/${id}`).set(as(coordinator)).expect(200);
    expect(still.body).toMatchObject({ status: 'under_review', organisation_id: null });
    await context.dataSource.query(`DELETE FROM users WHERE email = $1`, [email]);
    const approved = await move(id, { status: 'approved', short_name: 'fresh-name' }).expect(201);
    const created = await http()
      .get(`/api/v1/organisations/${approved.body.organisation_id}`)
      .set(as(coordinator))
      .expect(200);
    expect(created.body).toMatchObject({ short_name: 'fresh-name', kind: 'government-cert', status: 'active' });
  });

  it('mails no rejection to an address nobody confirmed', async () => {
    const body = application();
    const id = await submit(body);
    await move(id, { status: 'rejected', reason: 'Not a CSIRT' }).expect(201);
    const categories = await context.dataSource.query(`SELECT category FROM mails WHERE recipient = $1`, [
      body.applicant_email,
    ]);
    expect(categories).toEqual([{ category: 'application-verification' }]);
  });

  it('lists every problem of a bad application with its path and reason, never a 500', async () => {
    const expired = { publicKey: await expiredPublicKey('old@cert.example') };
    const contact = { name: 'A', role: 'r', phone: '+59821234567', time_zone: 'UTC', languages: ['es'], hours: '24/7' };
    const answer = await http()
      .post('/api/v1/applications')
      .send({
        form_token: await formToken(),
        team_name: '',
        kind: 'bogus',
        country: 'XX',
        sector: 'government',
        mandate: 'x',
        website: 'ftp://cert.example',
        constituency: { cidrs: ['10.0.0.1/8'], domains: ['not a domain'] },
        contacts: [
          { ...contact, email: 'same@cert.example', phone: '12345', pgp_key: 'garbage' },
          { ...contact, email: 'SAME@cert.example', pgp_key: expired.publicKey },
          { ...contact, email: 'c@cert.example', time_zone: 'Mars/Olympus', languages: ['xx'], hours: '' },
        ],
        applicant_name: 'Ana',
        applicant_email: 'not-an-address',
        preferred_language: 'de',
      })
      .expect(400);
    const reasons = Object.fromEntries(
      (answer.body.details as { path: string; reason: string }[]).map((detail) => [detail.path, detail.reason]),
    );
    expect(reasons).toMatchObject({
      team_name: expect.any(String),
      kind: expect.stringMatching(/kind must be one of/),
      country: expect.stringMatching(/ISO 3166-1 alpha-2/),
      website: expect.stringMatching(/http\(s\)/),
      'constituency.cidrs[0]': expect.stringMatching(/did you mean 10\.0\.0\.0\/8/),
      'constituency.domains[0]': expect.any(String),
      contacts: expect.stringMatching(/^contacts\[\d\]\.email: the address is already contacts\[\d\]'s/),
      'contacts[0].phone': expect.stringMatching(/E\.164/),
      'contacts[0].pgp_key': 'not an ASCII-armored OpenPGP public key',
      'contacts[1].pgp_key': expect.stringMatching(/^the key expired on/),
      'contacts[2].time_zone': 'time_zone must be an IANA time zone such as America/Montevideo',
      'contacts[2].languages': 'each language must be an ISO 639-1 code such as es',
      'contacts[2].hours': expect.any(String),
      applicant_email: expect.stringMatching(/e-mail address/),
      preferred_language: 'preferred_language must be one of: en, es, pt, fr',
    });

    const empty = await http()
      .post('/api/v1/applications')
      .send({ ...application(), form_token: await formToken(), constituency: {}, contacts: [] })
      .expect(400);
    expect(empty.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'constituency',
          reason: 'claim at least one network (CIDR), AS number or domain',
        }),
        expect.objectContaining({ path: 'contacts', reason: 'propose at least one 24/7 contact' }),
      ]),
    );
    const noForm = await http().post('/api/v1/applications').send(application()).expect(400);
    expect(noForm.body.details).toContainEqual({ path: 'form_token', reason: 'form_token must be a string' });
    const forged = await http()
      .post('/api/v1/applications')
      .send({ ...application(), form_token: '1.abc.def' })
      .expect(400);
    expect(forged.body.details).toEqual([{ path: 'form_token', reason: 'not a form token of this portal' }]);
    await http().post('/api/v1/applications').set('Content-Type', 'application/json').send('{"team_name":').expect(400);
    await http()
      .post('/api/v1/applications')
      .send({ ...application(), mandate: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    for (const odd of [[], 'text', { ...application(), constituency: 'x', contacts: [null, 5], homepage: '' }]) {
      const refused = await http().post('/api/v1/applications').send(odd);
      expect({ odd, status: refused.status }).toEqual({ odd, status: 400 });
    }
    await http().get('/api/v1/applications/not-a-uuid').set(as(coordinator)).expect(400);
    await http().get('/api/v1/applications/00000000-0000-4000-8000-000000000000').set(as(coordinator)).expect(404);
    await http()
      .post('/api/v1/applications/verify')
      .send({ token: 'x'.repeat(43) })
      .expect(400);
    await http().get('/api/v1/applications?status=bogus').set(as(coordinator)).expect(400);
  });

  it('sends a form once; a filled hidden field is answered like a person but nothing is stored or mailed', async () => {
    const token = await formToken();
    const body = application();
    await http()
      .post('/api/v1/applications')
      .send({ ...body, form_token: token })
      .expect(202);
    const reused = await http()
      .post('/api/v1/applications')
      .send({ ...application(), form_token: token })
      .expect(409);
    expect(reused.body.message).toMatch(/already sent/);

    const robot = application();
    const fooled = await http()
      .post('/api/v1/applications')
      .send({ ...robot, form_token: await formToken(), homepage: 'http://spam.example' })
      .expect(202);
    const [{ stored }] = await context.dataSource.query(
      `SELECT count(*)::int AS stored FROM applications WHERE id = $1 OR applicant_email = $2`,
      [fooled.body.id, robot.applicant_email],
    );
    expect(stored).toBe(0);
    await mailTo(body.applicant_email as string, /./);
    expect(smtp.mailsTo({ to: robot.applicant_email as string })).toEqual([]);
  });

  it('refuses forms sent too soon and limits applications per address (429 with Retry-After)', async () => {
    // Its own Redis prefix: rate limits are counted in Redis, and this file's portal already used this address's.
    const strict = await bootPortalApp({
      ...context.config,
      redis: { ...context.config.redis, prefix: `${context.config.redis.prefix}-strict` },
      applications: { ...context.config.applications, minFillSeconds: 60, rateLimitPerHour: 2 },
    });
    try {
      const post = async () =>
        request(strict.getHttpServer())
          .post('/api/v1/applications')
          .send({
            ...application(),
            form_token: (await request(strict.getHttpServer()).get('/api/v1/applications/form')).body.form_token,
          });
      const soon = await post();
      expect(soon.status).toBe(400);
      expect(soon.body.details).toEqual([
        { path: 'form_token', reason: 'sent too soon: wait 60 s after opening the form' },
      ]);
      expect((await post()).status).toBe(400);
      const limited = await post();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});
