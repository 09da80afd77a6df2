import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, OrganisationStatus, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { testKeyPair } from '../support/pgp-keys';
import { storedMails } from '../support/stored-mails';

interface QueuedMailRow {
  recipient: string;
  locale: string;
  subject: string;
  body: string;
  pgp_public_key: string | null;
  organisation_id: string;
}

describe('portal: directory reachability checks', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let coordinator: string;
  let adminA: string;
  let orgA: string;
  let orgB: string;
  let armoredKey: string;

  const contact = (email: string, languages: string[], pgpKey?: string) => ({
    name: `Contact ${email}`,
    role: 'Incident desk',
    email,
    phone: '+59821234567',
    time_zone: 'America/Montevideo',
    languages,
    hours: '24/7',
    ...(pgpKey ? { pgp_key: pgpKey } : {}),
  });

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    const coordinating = await app.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(app, coordinating.id, UserRole.Coordinator)).authorization;
    orgA = (await createOrganisation(context.dataSource, { name: 'CERT Alfa' })).id;
    orgB = (await createOrganisation(context.dataSource, { name: 'CERT Bravo' })).id;
    adminA = (await createPerson(app, orgA, UserRole.OrgAdmin)).authorization;
    armoredKey = (await testKeyPair('soc@alfa.example')).publicKey;
    await request(app.getHttpServer())
      .put(`/api/v1/directory/${orgA}`)
      .set('Authorization', adminA)
      .send({
        contacts: [contact('duty@alfa.example', ['es', 'en']), contact('soc@alfa.example', ['fr'], armoredKey)],
      })
      .expect(200);
    await request(app.getHttpServer())
      .put(`/api/v1/directory/${orgB}`)
      .set('Authorization', coordinator)
      .send({ contacts: [contact('duty@bravo.example', ['en'])] })
      .expect(200);
    await context.dataSource.query(`UPDATE organisations SET status = $2 WHERE id = $1`, [
      orgB,
      OrganisationStatus.Suspended,
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const contactsOfA = async () =>
    (await request(app.getHttpServer()).get(`/api/v1/directory/${orgA}`).set('Authorization', adminA).expect(200)).body
      .contacts as { email: string; last_confirmed_at: string | null; reachability: { status: string } }[];
  const confirm = (token: string) =>
    request(app.getHttpServer()).post('/api/v1/directory/confirmations').send({ token });
  const tokenIn = (mail: QueuedMailRow): string => /[?&]token=([A-Za-z0-9_-]{43})/.exec(mail.body)![1]!;

  it('mails every 24/7 contact of the active members a one-time link, in its language, encrypted to its key', async () => {
    expect((await contactsOfA()).map((c) => c.reachability.status)).toEqual(['unchecked', 'unchecked']);
    const started = await request(app.getHttpServer())
      .post('/api/v1/directory/reachability-checks')
      .set('Authorization', coordinator)
      .send({ respond_within_hours: 24 })
      .expect(201);
    expect(started.body).toMatchObject({ asked: 2, confirmed: 0, closed: false });
    expect(new Date(started.body.respond_by).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(started.body.unconfirmed.map((c: { email: string }) => c.email)).toEqual([
      'duty@alfa.example',
      'soc@alfa.example',
    ]);

    const mails = await storedMails<QueuedMailRow>(
      context,
      `SELECT recipient, locale, subject, body, pgp_public_key, organisation_id FROM mails
        WHERE category = 'directory-reachability-check' ORDER BY recipient`,
    );
    expect(mails.map((mail) => [mail.recipient, mail.locale])).toEqual([
      ['duty@alfa.example', 'es'],
      ['soc@alfa.example', 'fr'],
    ]);
    expect(mails[0]!.subject).toBe('Verificación de disponibilidad: contacto 24/7 de CERT Alfa');
    expect(mails[0]!.pgp_public_key).toBeNull();
    expect(mails[1]!.pgp_public_key).toBe(armoredKey.trim());
    expect(mails.every((mail) => mail.organisation_id === orgA)).toBe(true);
    expect(tokenIn(mails[0]!)).not.toEqual(tokenIn(mails[1]!));
    const [{ jobs }] = (await context.dataSource.query(
      `SELECT count(*)::int AS jobs FROM outbox_jobs WHERE job_name = 'send-mail'`,
    )) as { jobs: number }[];
    expect(jobs).toBeGreaterThanOrEqual(2);
    // Only hashes of the tokens are stored.
    const [{ stored }] = (await context.dataSource.query(
      `SELECT count(*)::int AS stored FROM directory_contact_confirmations WHERE token_hash = $1`,
      [tokenIn(mails[0]!)],
    )) as { stored: number }[];
    expect(stored).toBe(0);
    expect((await contactsOfA()).map((c) => c.reachability.status)).toEqual(['pending', 'pending']);
  });

  it('confirms a contact by its link (public, once; again answers the same), audited without an actor', async () => {
    const [mail] = await storedMails<QueuedMailRow>(
      context,
      `SELECT body FROM mails WHERE recipient = 'duty@alfa.example' AND category = 'directory-reachability-check'`,
    );
    const first = await confirm(tokenIn(mail!)).expect(200);
    const again = await confirm(tokenIn(mail!)).expect(200);
    expect(again.body).toEqual(first.body);
    const [duty, soc] = await contactsOfA();
    expect(duty).toMatchObject({ last_confirmed_at: first.body.confirmed_at, reachability: { status: 'confirmed' } });
    expect(soc).toMatchObject({ last_confirmed_at: null, reachability: { status: 'pending' } });
    const events = (await context.dataSource.query(
      `SELECT organisation_id, actor_user_id, target_type FROM audit_events WHERE action = 'directory.contact_confirmed'`,
    )) as { organisation_id: string; actor_user_id: string | null; target_type: string }[];
    expect(events).toEqual([{ organisation_id: orgA, actor_user_id: null, target_type: 'directory_contact' }]);

    await confirm('x'.repeat(43)).expect(404);
    await confirm('not-a-token').expect(404);
  });

  it('flags contacts that did not confirm in time, and refuses their expired links', async () => {
    // Time passes: the check's answer time runs out.
    await context.dataSource.query(
      `UPDATE directory_reachability_checks SET respond_by = now() - interval '1 second';
       UPDATE directory_contact_confirmations SET expires_at = now() - interval '1 second'`,
    );
    const [duty, soc] = await contactsOfA();
    expect(duty!.reachability.status).toBe('confirmed');
    expect(soc!.reachability.status).toBe('unconfirmed');

    const [check] = (await context.dataSource.query(`SELECT id FROM directory_reachability_checks`)) as {
      id: string;
    }[];
    const summary = await request(app.getHttpServer())
      .get(`/api/v1/directory/reachability-checks/${check!.id}`)
      .set('Authorization', coordinator)
      .expect(200);
    expect(summary.body).toMatchObject({ asked: 2, confirmed: 1, closed: true });
    expect(summary.body.unconfirmed).toEqual([
      expect.objectContaining({ email: 'soc@alfa.example', organisation_id: orgA, organisation_name: 'CERT Alfa' }),
    ]);

    const [mail] = await storedMails<QueuedMailRow>(
      context,
      `SELECT body FROM mails WHERE recipient = 'soc@alfa.example' AND category = 'directory-reachability-check'`,
    );
    await confirm(tokenIn(mail!)).expect(404);
    await request(app.getHttpServer())
      .get('/api/v1/directory/reachability-checks/00000000-0000-4000-8000-000000000000')
      .set('Authorization', coordinator)
      .expect(404);
  });

  it('keeps a contact’s last confirmation when an edit keeps its address', async () => {
    const before = await contactsOfA();
    const answer = await request(app.getHttpServer())
      .put(`/api/v1/directory/${orgA}`)
      .set('Authorization', adminA)
      .send({ contacts: [contact('DUTY@alfa.example', ['es'])] })
      .expect(200);
    expect(answer.body.contacts[0]).toMatchObject({
      last_confirmed_at: before[0]!.last_confirmed_at,
      reachability: { status: 'confirmed' },
    });
  });

  it('refuses a check asked with a bad answer time', async () => {
    const answer = await request(app.getHttpServer())
      .post('/api/v1/directory/reachability-checks')
      .set('Authorization', coordinator)
      .send({ respond_within_hours: 0 })
      .expect(400);
    expect(answer.body.details[0].path).toBe('respond_within_hours');
  });
});
