import { NestExpressApplication } from '@nestjs/platform-express';
import { MailRepository, MailStatus, QueuedMail, UserRole } from '@vigia/database';
import { Mailer, MailTemplate } from '@vigia/mail';
import { QueueName } from '@vigia/queue';
import request from 'supertest';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { TestPerson, createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { bootTestApp } from '../support/test-app';
import { TestContext, createTestContext } from '../support/test-context';

const NOTICE: MailTemplate<{ n: number }> = {
  en: ({ n }) => ({ subject: `Notice ${n}`, text: `Body of notice ${n}` }),
  es: ({ n }) => ({ subject: `Aviso ${n}`, text: `Cuerpo del aviso ${n}` }),
  pt: ({ n }) => ({ subject: `Aviso ${n}`, text: `Corpo do aviso ${n}` }),
  fr: ({ n }) => ({ subject: `Avis ${n}`, text: `Corps de l’avis ${n}` }),
};

interface Entry {
  id: string;
  category: string;
  recipient: string;
  subject: string;
  body: string | null;
  status: string;
  last_error: string | null;
}

/** The coordinator reads the mail log: how development reads mails when no SMTP server is configured. */
describe('portal: the mail log', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let coordinator: TestPerson;
  let orgAdmin: TestPerson;
  let analyst: TestPerson;
  let loggedId: string;
  const states = new Map<string, MailStatus>();

  beforeAll(async () => {
    context = await createTestContext(); // no SMTP_URL
    portal = await bootPortalApp(context.config);
    const network = await createOrganisation(context.dataSource);
    const member = await createOrganisation(context.dataSource);
    coordinator = await createPerson(portal, network.id, UserRole.Coordinator);
    orgAdmin = await createPerson(portal, member.id, UserRole.OrgAdmin);
    analyst = await createPerson(portal, member.id, UserRole.Analyst);

    // One mail the real worker keeps in the log (no SMTP server)...
    const worker = await bootTestApp(
      WorkerModule.register(context.config, [], { queues: [QueueName.Mail] }),
      context.config,
      { name: 'worker' },
    );
    const mailer = worker.get(Mailer);
    let compose: (n: number, to: string, category: string) => QueuedMail;
    try {
      compose = (n, to, category) => mailer.compose(NOTICE, { n }, { to, category, organisationId: member.id });
      const logged = compose(0, 'Duty@CSIRT.example', 'application-verification');
      loggedId = logged.mail.id;
      await mailer.send([logged]);
      await waitFor('the mail logged', async () => {
        const [row] = (await context.dataSource.query(`SELECT status FROM mails WHERE id = $1`, [loggedId])) as {
          status: string;
        }[];
        return row?.status === MailStatus.Logged ? true : undefined;
      });
    } finally {
      await worker.close();
    }
    states.set(loggedId, MailStatus.Logged);

    // ...and more in every state, queued with nobody consuming them, their outcome recorded as the worker would.
    const mails = portal.get(MailRepository);
    const more = [1, 2, 3, 4, 5, 6].map((n) =>
      compose(n, n % 2 ? 'soc@csirt.example' : 'noc@csirt.example', n <= 3 ? 'warning-immediate' : 'warning-digest'),
    );
    for (const queued of more) await mails.queue([queued]);
    await mails.markDone(more[0]!.mail.id, MailStatus.Sent, true);
    await mails.markDone(more[1]!.mail.id, MailStatus.Logged, false);
    await mails.recordFailure(more[2]!.mail.id, '550 5.1.1 mailbox unavailable', true);
    states.set(more[0]!.mail.id, MailStatus.Sent);
    states.set(more[1]!.mail.id, MailStatus.Logged);
    states.set(more[2]!.mail.id, MailStatus.Failed);
    for (const queued of more.slice(3)) states.set(queued.mail.id, MailStatus.Queued);
  });

  afterAll(async () => {
    await portal?.close();
    await context?.cleanup();
  });

  const mailLog = (person: TestPerson, query: Record<string, string | number> = {}) =>
    request(portal.getHttpServer()).get('/api/v1/mail-log').query(query).set('Authorization', person.authorization);

  it('shows the coordinator every mail, newest first, with the body only of logged mails', async () => {
    const { body } = await mailLog(coordinator).expect(200);
    const items = body.items as Entry[];
    expect(items).toHaveLength(7);
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(states.keys()));
    expect(items[items.length - 1]).toMatchObject({
      id: loggedId,
      category: 'application-verification',
      recipient: 'Duty@CSIRT.example',
      subject: 'Notice 0',
      body: 'Body of notice 0',
      status: 'logged',
      encrypted: false,
      attempts: 1,
      finished_at: expect.any(String),
    });
    for (const item of items) {
      expect(item.status).toBe(states.get(item.id));
      // Queued mails still hold their body in the database, sent and failed ones none: only logged ones show it.
      expect(item.body === null).toBe(item.status !== 'logged');
    }
    expect(items.find((item) => item.status === 'failed')).toMatchObject({
      last_error: '550 5.1.1 mailbox unavailable',
      body: null,
    });
    expect(body.next_cursor).toBeNull();
  });

  it('filters by category, status and recipient (any case), all at once', async () => {
    const byCategory = (await mailLog(coordinator, { category: 'warning-digest' }).expect(200)).body.items as Entry[];
    expect(byCategory.map((item) => item.subject).sort()).toEqual(['Notice 4', 'Notice 5', 'Notice 6']);
    const byStatus = (await mailLog(coordinator, { status: 'logged' }).expect(200)).body.items as Entry[];
    expect(byStatus.map((item) => item.subject).sort()).toEqual(['Notice 0', 'Notice 2']);
    const byRecipient = (await mailLog(coordinator, { recipient: 'SOC@csirt.EXAMPLE' }).expect(200)).body
      .items as Entry[];
    expect(byRecipient.map((item) => item.subject).sort()).toEqual(['Notice 1', 'Notice 3', 'Notice 5']);
    const all = (
      await mailLog(coordinator, { category: 'warning-immediate', status: 'failed', recipient: 'soc@csirt.example' })
    ).body.items as Entry[];
    expect(all.map((item) => item.subject)).toEqual(['Notice 3']);
  });

  it('pages with a keyset cursor: every mail once, in order, whatever the page size', async () => {
    const everything = ((await mailLog(coordinator).expect(200)).body.items as Entry[]).map((item) => item.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 2, ...(cursor ? { cursor } : {}) };
      const { body } = await mailLog(coordinator, query).expect(200);
      seen.push(...(body.items as Entry[]).map((item) => item.id));
      cursor = body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(everything);
  });

  it('refuses bad filters and cursors with reasons', async () => {
    const { body } = await mailLog(coordinator, { status: 'lost', recipient: 'nobody', cursor: 'bm9wZQ' }).expect(400);
    const reasons = JSON.stringify(body);
    expect(reasons).toContain('status must be one of: queued, sent, logged, failed');
    expect(reasons).toContain('recipient must be an e-mail address');
    const badCursor = await mailLog(coordinator, { cursor: 'bm9wZQ' }).expect(400);
    expect(JSON.stringify(badCursor.body)).toContain('not a cursor this API returned');
  });

  it('is for coordinators only', async () => {
    await mailLog(orgAdmin).expect(403);
    await mailLog(analyst).expect(403);
    await request(portal.getHttpServer()).get('/api/v1/mail-log').expect(401);
  });
});
