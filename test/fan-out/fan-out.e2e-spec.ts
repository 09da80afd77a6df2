import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { QueueName } from '@vigia/queue';
import { StixValidator } from '@vigia/stix';
import { WarningEnvelope } from '@vigia/warning-stream';
import { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { SseClient } from '../support/sse-client';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';

type Party = 'reporter' | 'recipient' | 'other';
const PARTIES: Party[] = ['reporter', 'recipient', 'other'];

/** The whole early-warning path on real PostgreSQL and Redis: ingest → normalise → fan-out → webhook and stream. */
describe('early warnings end to end', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  const keys = {} as Record<Party, string>;
  const orgIds = {} as Record<Party, string>;
  const secrets = {} as Record<Party, string>;
  let constituencySecret: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({
      STIX_VALIDATE: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
      STREAM_HEARTBEAT_MS: '200',
    });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    await portal.listen(0, '127.0.0.1');
    for (const party of PARTIES) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[party] = apiKey;
      orgIds[party] = organisation.id;
      const created = await request(portal.getHttpServer())
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', apiKey)
        .send({
          name: `${party}: everything`,
          channels: [{ type: 'webhook', url: receiver.url(`/${party}`) }, { type: 'stream' }],
        })
        .expect(201);
      secrets[party] = created.body.channels[0].secret;
    }
    // The recipient also watches its constituency, which only some indicators fall in.
    const constituency = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys.recipient)
      .send({
        name: 'constituency',
        filters: { constituency: { cidrs: ['203.0.113.0/24'], domains: ['gub.example'] } },
        channels: [{ type: 'webhook', url: receiver.url('/constituency') }],
      })
      .expect(201);
    constituencySecret = constituency.body.channels[0].secret;
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  const submit = (party: Party, body: Record<string, unknown>) =>
    request(ingest.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', keys[party]).send(body).expect(202);

  const envelopesAt = (path: string): WarningEnvelope[] =>
    receiver.requestsTo(path).map((received) => JSON.parse(received.body) as WarningEnvelope);

  /** Waits until nothing is left to normalise, fan out or deliver, so an absence of warnings means something. */
  async function settled(): Promise<void> {
    const queues = [QueueName.Reports, QueueName.Warnings, QueueName.Webhooks].map(
      (name) =>
        new Queue(name, {
          connection: redisConnectionOptions(context.config.redis.url),
          prefix: context.config.redis.prefix,
        }),
    );
    try {
      await waitFor('queues to drain', async () => {
        const counts = await Promise.all(
          queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
        );
        return counts.every((count) => Object.values(count).every((n) => n === 0)) ? true : undefined;
      });
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  }

  it('warns a subscribed CSIRT by signed webhook and live stream within a second', async () => {
    const port = (portal.getHttpServer().address() as AddressInfo).port;
    const stream = await SseClient.connect(`http://127.0.0.1:${port}/api/v1/stream`, { 'x-api-key': keys.recipient });
    expect(stream.response.statusCode).toBe(200);
    try {
      const started = Date.now();
      const { body } = await submit(
        'reporter',
        reportBody({
          tlp: 'green',
          indicators: [
            { type: 'ipv4', value: '203.0.113.9' },
            { type: 'domain', value: 'login.gub.example' },
            { type: 'md5', value: 'c'.repeat(32) },
          ],
        }),
      );
      const [delivered] = await waitFor('the webhook', async () =>
        receiver.requestsTo('/recipient').length ? receiver.requestsTo('/recipient') : undefined,
      );
      expect(delivered!.receivedAt - started).toBeLessThan(5_000); // generous on a loaded CI machine; bench:fanout measures
      const envelope = new Webhook(secrets.recipient).verify(
        delivered!.body,
        delivered!.headers as Record<string, string>,
      ) as WarningEnvelope;
      expect(envelope).toMatchObject({
        type: 'indicator.warning',
        organisation_id: orgIds.recipient,
        report: { id: body.id, tlp: 'green', reporter: { id: orgIds.reporter } },
      });
      expect(envelope.indicators.map((indicator) => indicator.value).sort()).toEqual([
        '203.0.113.9',
        'c'.repeat(32),
        'login.gub.example',
      ]);
      expect(new StixValidator(context.config.stix.schemaDir).validateBundle(envelope.bundle)).toEqual({
        valid: true,
        errors: [],
      });
      expect(envelope.bundle.objects?.map((object) => object.type)).toEqual(
        expect.arrayContaining(['identity', 'indicator', 'report', 'marking-definition']),
      );

      const [message] = await stream.waitForMessages(1);
      expect(message!.event).toBe('indicator.warning');
      const streamed = JSON.parse(message!.data!) as WarningEnvelope;
      expect(streamed).toMatchObject({ organisation_id: orgIds.recipient, report: { id: body.id } });
      expect(streamed.subscription_ids).toHaveLength(1); // only the streaming subscription

      // The constituency subscription saw only what is inside 203.0.113.0/24 and gub.example.
      const [inside] = await waitFor('the constituency webhook', async () =>
        envelopesAt('/constituency').length ? envelopesAt('/constituency') : undefined,
      );
      new Webhook(constituencySecret).verify(
        receiver.requestsTo('/constituency')[0]!.body,
        receiver.requestsTo('/constituency')[0]!.headers as Record<string, string>,
      );
      expect(inside!.indicators.map((indicator) => indicator.value).sort()).toEqual([
        '203.0.113.9',
        'login.gub.example',
      ]);
      await settled();
      expect(envelopesAt('/reporter')).toEqual([]); // the reporter did not ask for its own reports
    } finally {
      stream.close();
    }
  });

  it('enforces TLP: each level × reporter / recipient / other organisation', async () => {
    const reportIds = {} as Record<TlpLevel, string>;
    for (const [index, tlp] of Object.values(TlpLevel).entries()) {
      const { body } = await submit(
        'reporter',
        reportBody({
          tlp,
          tlp_recipients: [orgIds.recipient],
          indicators: [{ type: 'ipv4', value: `198.51.100.${10 + index}` }],
        }),
      );
      reportIds[tlp] = body.id;
    }
    await waitFor('every report normalised', async () => {
      const done = await context.dataSource
        .getRepository(IncidentReportEntity)
        .countBy({ status: ReportStatus.Normalised });
      return done >= 6 ? true : undefined;
    });
    await settled();
    const received = (party: Party) =>
      new Set(
        envelopesAt(`/${party}`)
          .map((envelope) => envelope.report.id)
          .filter((id) => Object.values(reportIds).includes(id)),
      );
    const expected: Record<TlpLevel, Party[]> = {
      [TlpLevel.Clear]: ['recipient', 'other'],
      [TlpLevel.Green]: ['recipient', 'other'],
      [TlpLevel.Amber]: ['recipient', 'other'],
      [TlpLevel.AmberStrict]: ['recipient'],
      [TlpLevel.Red]: ['recipient'],
    };
    for (const tlp of Object.values(TlpLevel)) {
      const reached = PARTIES.filter((party) => received(party).has(reportIds[tlp]));
      expect({ tlp, reached }).toEqual({ tlp, reached: expected[tlp] });
    }
  });
});
