import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope, hashInvitationToken, hashRefreshToken } from '@vigia/auth';
import { loadConfig } from '@vigia/config';
import { MailRepository, SecretSealer, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { storedMails } from '../support/stored-mails';
import { TestContext, createTestContext } from '../support/test-context';
import { applicationBody, dutyContact } from '../factories/application.factory';

/**
 * One-time tokens and keys are kept only as hashes: a dump of the database holds none of them in clear. Mails too:
 * a mail's body carries its link (with the token) until it is sent, and for good in the mail log where no SMTP
 * server is configured, so it is stored sealed.
 */
describe('one-time tokens at rest', () => {
  let context: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext({ APPLICATION_MIN_FILL_SECONDS: '0' });
    app = await bootPortalApp(context.config);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  /** The token of the newest link to `page` mailed to `recipient`. */
  const mailedToken = async (recipient: string, page: string): Promise<string> => {
    const mails = await storedMails<{ body: string }>(
      context,
      `SELECT body FROM mails WHERE recipient = $1 AND body IS NOT NULL ORDER BY created_at DESC`,
      [recipient],
    );
    const token = mails
      .map((mail) => new RegExp(`${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.body)?.[1])
      .find(Boolean);
    if (!token) throw new Error(`no ${page} link mailed to ${recipient}`);
    return token;
  };

  it('keeps invitation, session, API-key and application tokens only as hashes', async () => {
    const organisation = await createOrganisation(context.dataSource, { name: 'CERT Tokens' });
    const admin = (await createPerson(app, organisation.id, UserRole.OrgAdmin)).authorization;

    const email = 'analyst@cert-tokens.example';
    const password = 'a long enough password for tests';
    const invited = await http()
      .post(`/api/v1/organisations/${organisation.id}/users`)
      .set('Authorization', admin)
      .send({ email, display_name: 'Analyst', role: UserRole.Analyst })
      .expect(201);
    const invitationToken = invited.body.invitation.token as string;
    await http().post('/api/v1/invitations/accept').send({ token: invitationToken, password }).expect(204);
    const login = await http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    const refreshToken = login.body.refresh_token as string;

    const key = await http()
      .post(`/api/v1/organisations/${organisation.id}/api-keys`)
      .set('Authorization', admin)
      .send({ name: 'SIEM', scopes: [Scope.ReportsWrite] })
      .expect(201);
    const apiKey = key.body.secret as string;

    const applicantEmail = 'ana@cert-applicant.example';
    await http()
      .post('/api/v1/applications')
      .send({
        form_token: (await http().get('/api/v1/applications/form').expect(200)).body.form_token as string,
        ...applicationBody({
          website: 'https://www.cert-applicant.example',
          contacts: [dutyContact({ email: 'duty@cert-applicant.example' })],
          applicant_email: applicantEmail,
        }),
      })
      .expect(202);
    const verificationToken = await mailedToken(applicantEmail, '/applications/verify');
    await http().post('/api/v1/applications/verify').send({ token: verificationToken }).expect(200);

    const dump = execFileSync('pg_dump', ['--data-only', context.config.database.url], {
      maxBuffer: 256 * 2 ** 20,
    }).toString();
    // The dump is the real one: the hashes are in it, and the mails that carried the links, sealed.
    expect(dump).toContain(hashInvitationToken(invitationToken));
    expect(dump).toContain(hashRefreshToken(refreshToken));
    const stored = (await context.dataSource.query(`SELECT body FROM mails WHERE body IS NOT NULL`)) as {
      body: string;
    }[];
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((mail) => !dump.includes(mail.body))).toEqual([]);
    const tokens = {
      invitation: invitationToken,
      refresh: refreshToken,
      access: login.body.access_token as string,
      apiKey,
      verification: verificationToken,
    };
    expect(Object.entries(tokens).filter(([, token]) => dump.includes(token))).toEqual([]);
  });

  it('rotating DATA_ENCRYPTION_KEY re-wraps the mail bodies kept; the old key can then go', async () => {
    const oldKeys = context.config.dataEncryptionKeys;
    const newKey = randomBytes(32).toString('base64');
    const sealerWith = (keys: string): SecretSealer =>
      new SecretSealer(loadConfig({ ...process.env, NODE_ENV: 'test', DATA_ENCRYPTION_KEY: keys }));
    const oldKeysText = oldKeys.map((key) => key.toString('base64')).join(',');
    const rotating = new MailRepository(context.dataSource, sealerWith(`${newKey},${oldKeysText}`));
    expect(await rotating.rewrapBodies()).toBeGreaterThan(0);
    expect(await rotating.rewrapBodies()).toBe(0);
    const kept = (await context.dataSource.query(
      `SELECT body FROM mails WHERE recipient = 'ana@cert-applicant.example' AND body IS NOT NULL`,
    )) as { body: string }[];
    const newOnly = sealerWith(newKey);
    expect(kept.map((mail) => newOnly.open(mail.body)).join('\n')).toContain('/applications/verify?token=');
    expect(() => new SecretSealer(context.config).open(kept[0]!.body)).toThrow(/DATA_ENCRYPTION_KEY/);
  });
});
