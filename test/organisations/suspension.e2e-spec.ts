import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRole } from '@vigia/database';
import { QueueName } from '@vigia/queue';
import { WarningEnvelope, warningStreamKey } from '@vigia/warning-stream';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { TestPerson, createPerson } from '../support/access-token';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { SseClient } from '../support/sse-client';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';

type Party = 'reporter' | 'member' | 'bystander';

const ONE_SECOND = 1_000;

/**
 * Suspension and reinstatement end to end, with two portal instances: the coordinator suspends a member through one
 * while the member streams from the other. Within a second its key and people are refused everywhere, its stream
 * ends, and nothing shared is delivered to it (no webhook, no stream entry); reinstatement resumes all of it.
 */
describe('suspending and reinstating a member organisation', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let otherPortal: NestExpressApplication;
  let receiver: WebhookReceiver;
  let coordinator: TestPerson;
  let analyst: TestPerson;
  let subscriptionId: string;
  let failedDeliveryId: string;
  const keys = {} as Record<Party, string>;
  const orgIds = {} as Record<Party, string>;
  let nextAddress = 1;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
      // A failed delivery waits for its retry long enough to be still open when the member is suspended.
      WEBHOOK_RETRY_SCHEDULE_MS: '120000',
    });
    [ingest, worker, portal, otherPortal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
      bootPortalApp(context.config),
    ]);
    await otherPortal.listen(0, '127.0.0.1');
    const coordinating = await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = await createPerson(portal, coordinating.id, UserRole.Coordinator);
    for (const party of ['reporter', 'member', 'bystander'] as const) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[party] = apiKey;
      orgIds[party] = organisation.id;
    }
    analyst = await createPerson(portal, orgIds.member, UserRole.Analyst);
    const subscription = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys.member)
      .send({
        name: 'everything',
        filters: {},
        channels: [{ type: 'webhook', url: receiver.url('/member') }, { type: 'stream' }],
      })
      .expect(201);
    subscriptionId = subscription.body.id;
    // A member that stays active: its warnings show that fan-out ran while the other was suspended.
    await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys.bystander)
      .send({ name: 'everything', filters: {}, channels: [{ type: 'webhook', url: receiver.url('/bystander') }] })
      .expect(201);
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close(), otherPortal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  /** A GREEN report by the reporter about an address nobody reported before: everyone's subscription matches it. */
  const report = async (): Promise<string> => {
    const { body } = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', keys.reporter)
      .send(reportBody({ tlp: 'green', indicators: [{ type: 'ipv4', value: `203.0.113.${nextAddress++}` }] }))
      .expect(202);
    return body.id as string;
  };
  const reportsAt = (path: string): string[] =>
    receiver.requestsTo(path).map((received) => (JSON.parse(received.body) as WarningEnvelope).report.id);
  const webhookOf = (path: string, reportId: string): Promise<true> =>
    waitFor(`the ${path} webhook of ${reportId}`, async () => reportsAt(path).includes(reportId) || undefined);
  const streamed = (client: SseClient): string[] =>
    client.messages
      .filter((message) => message.event === 'indicator.warning')
      .map((message) => (JSON.parse(message.data!) as WarningEnvelope).report.id);
  const openStream = async (): Promise<SseClient> =>
    SseClient.connect(`${await otherPortal.getUrl()}/api/v1/stream`, { 'x-api-key': keys.member });
  const setStatus = (status: string, reason?: string) =>
    request(portal.getHttpServer())
      .patch(`/api/v1/organisations/${orgIds.member}/status`)
      .auth(coordinator.token, { type: 'bearer' })
      .send(reason === undefined ? { status } : { status, reason });
  const keyAtIngest = () =>
    request(ingest.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', keys.member).send(reportBody());
  const keyAtPortal = () =>
    request(otherPortal.getHttpServer()).get('/api/v1/subscriptions').set('X-Api-Key', keys.member);
  const personAtPortal = () =>
    request(otherPortal.getHttpServer())
      .get(`/api/v1/organisations/${orgIds.member}`)
      .auth(analyst.token, { type: 'bearer' });
  const memberStreamLength = () => context.redis.xlen(warningStreamKey(context.config.redis.prefix, orgIds.member));

  it('warns the active member by webhook and stream; a failing receiver leaves a delivery to retry', async () => {
    const stream = await openStream();
    try {
      expect(stream.response.statusCode).toBe(200);
      const delivered = await report();
      await webhookOf('/member', delivered);
      await waitFor('the streamed warning', async () => streamed(stream).includes(delivered) || undefined);
    } finally {
      stream.close();
    }

    receiver.answerInTurn('/member', [{ status: 503 }]);
    const retried = await report();
    const [failed] = await waitFor('a failed delivery', async () => {
      const rows = (await context.dataSource.query(
        `SELECT id FROM webhook_deliveries WHERE organisation_id = $1 AND status = 'failed'`,
        [orgIds.member],
      )) as { id: string }[];
      return rows.length ? rows : undefined;
    });
    failedDeliveryId = failed!.id;
    expect(reportsAt('/member')).toContain(retried);
    receiver.on('/member', (_, response) => response.writeHead(204).end());
  });

  it('stops its key, people and open stream within a second, and delivers it nothing', async () => {
    const stream = await openStream();
    expect(stream.response.statusCode).toBe(200);
    await waitFor('the stream to start', async () => stream.events.length > 0 || undefined);
    await keyAtPortal().expect(200);
    await personAtPortal().expect(200);

    // A warning mail to one of its contacts still waits to be sent (no job: it stays queued).
    const [queuedMail] = (await context.dataSource.query(
      `INSERT INTO mails (id, category, organisation_id, recipient, locale, subject, body)
       VALUES (gen_random_uuid(), 'constituency-warning', $1, 'duty@member.example', 'en', 'warning', 'values')
       RETURNING id`,
      [orgIds.member],
    )) as { id: string }[];

    const refused = await setStatus('suspended').expect(400);
    expect(new Set(refused.body.details.map((detail: { path: string }) => detail.path))).toEqual(new Set(['reason']));
    const started = Date.now();
    const suspended = await setStatus('suspended', 'Compromised infrastructure; suspended pending review').expect(200);
    expect(suspended.body).toMatchObject({
      status: 'suspended',
      status_reason: 'Compromised infrastructure; suspended pending review',
    });

    // The stream served by the other portal ends, saying why.
    const ended = await Promise.race([
      stream.body(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ONE_SECOND)),
    ]);
    expect(ended).toContain('event: end');
    expect(stream.messages.at(-1)).toEqual({
      event: 'end',
      data: JSON.stringify({ reason: 'organisation-not-active' }),
    });
    const [atIngest, atPortal, person, reconnect] = await Promise.all([
      keyAtIngest(),
      keyAtPortal(),
      personAtPortal(),
      openStream(),
    ]);
    expect(Date.now() - started).toBeLessThan(ONE_SECOND);
    expect(atIngest.status).toBe(403);
    expect(atPortal.status).toBe(403);
    expect(person.status).toBe(401);
    expect(reconnect.response.statusCode).toBe(403);
    reconnect.close();

    // The delivery waiting for its retry is dead-lettered, the queued warning mail failed: neither is sent.
    const [cancelled] = (await context.dataSource.query(
      `SELECT status, last_error FROM webhook_deliveries WHERE id = $1`,
      [failedDeliveryId],
    )) as { status: string; last_error: string }[];
    expect(cancelled).toEqual({ status: 'dead', last_error: 'organisation suspended' });
    const [mail] = (await context.dataSource.query(`SELECT status, last_error FROM mails WHERE id = $1`, [
      queuedMail!.id,
    ])) as { status: string; last_error: string }[];
    expect(mail).toEqual({ status: 'failed', last_error: 'organisation suspended' });

    // A warning that matches its subscription reaches the bystander, not the suspended member.
    const streamLength = await memberStreamLength();
    const webhooksBefore = receiver.requestsTo('/member').length;
    const missed = await report();
    await webhookOf('/bystander', missed);
    await waitForQueuesToDrain(context.config, [QueueName.Reports, QueueName.Warnings]);
    const scheduled = (await context.dataSource.query(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE organisation_id = $1 AND payload->'report'->>'id' = $2`,
      [orgIds.member, missed],
    )) as { count: number }[];
    expect(scheduled).toEqual([{ count: 0 }]);
    expect(receiver.requestsTo('/member')).toHaveLength(webhooksBefore);
    expect(await memberStreamLength()).toBe(streamLength);

    // Audited with from, to and the reason.
    const [event] = (await context.dataSource.query(
      `SELECT actor_user_id, details FROM audit_events
        WHERE action = 'organisation.status_changed' AND target_id = $1 ORDER BY id`,
      [orgIds.member],
    )) as { actor_user_id: string; details: Record<string, unknown> }[];
    expect(event).toEqual({
      actor_user_id: coordinator.user.id,
      details: {
        from: 'active',
        to: 'suspended',
        reason: 'Compromised infrastructure; suspended pending review',
        cancelled_deliveries: 1,
        cancelled_mails: 1,
      },
    });
  });

  it('resumes keys, people, the stream and the subscription as it was on reinstatement', async () => {
    const missedBefore = reportsAt('/member');
    await setStatus('active', 'Review done; infrastructure cleaned').expect(200);
    await keyAtIngest().expect(202);
    await keyAtPortal().expect(200);
    await personAtPortal().expect(200);
    const subscription = await request(portal.getHttpServer())
      .get(`/api/v1/subscriptions/${subscriptionId}`)
      .set('X-Api-Key', keys.member)
      .expect(200);
    expect(subscription.body.active).toBe(true);

    const stream = await openStream();
    try {
      expect(stream.response.statusCode).toBe(200);
      await waitFor('the stream to start', async () => stream.events.length > 0 || undefined);
      const resumed = await report();
      await webhookOf('/member', resumed);
      await waitFor('the streamed warning', async () => streamed(stream).includes(resumed) || undefined);
      expect(streamed(stream)).toEqual([resumed]);
      // Only the new warning: nothing of what was shared while it was suspended follows.
      expect(reportsAt('/member')).toEqual([...missedBefore, resumed]);
    } finally {
      stream.close();
    }
    const events = (await context.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'organisation.status_changed' AND target_id = $1 ORDER BY id`,
      [orgIds.member],
    )) as { details: Record<string, unknown> }[];
    expect(events.map((event) => event.details)).toEqual([
      expect.objectContaining({ from: 'active', to: 'suspended' }),
      {
        from: 'suspended',
        to: 'active',
        reason: 'Review done; infrastructure cleaned',
        cancelled_deliveries: 0,
        cancelled_mails: 0,
      },
    ]);
  });
});
