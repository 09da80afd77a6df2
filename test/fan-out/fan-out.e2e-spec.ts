import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { QueueName } from '@vigia/queue';
import { StixValidator, identityIdForOrganisation, tlpMarkingFor } from '@vigia/stix';
import { WarningEnvelope } from '@vigia/warning-stream';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
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
          filters: { accepts_red: true },
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
    await waitForQueuesToDrain(context.config, [QueueName.Reports, QueueName.Warnings, QueueName.Webhooks]);
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
      expect(new StixValidator().validateBundle(envelope.bundle)).toEqual({
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
      // The reporter's audit log counts the share, without the objects.
      const [shared] = (await context.dataSource.query(
        `SELECT organisation_id, details FROM audit_events WHERE action = 'objects.shared' AND target_id = $1`,
        [body.id],
      )) as { organisation_id: string; details: Record<string, unknown> }[];
      expect(shared).toMatchObject({
        organisation_id: orgIds.reporter,
        details: { tlp: 'green', indicators: 3 },
      });
    } finally {
      stream.close();
    }
  });

  it('gives each recipient only the figures of reports it may see (RED to one member, then GREEN by it)', async () => {
    const value = '203.0.113.171';
    // The reporter shares the value as RED with the recipient only, with high confidence...
    await submit(
      'reporter',
      reportBody({
        tlp: 'red',
        tlp_recipients: [orgIds.recipient],
        indicators: [{ type: 'ipv4', value, confidence: 97 }],
      }),
    );
    await settled();
    // ...then the recipient reports it as GREEN with low confidence.
    const { body } = await submit(
      'recipient',
      reportBody({ tlp: 'green', indicators: [{ type: 'ipv4', value, confidence: 10 }] }),
    );
    await settled();
    const warningAt = (party: Party) =>
      envelopesAt(`/${party}`).find((envelope) => envelope.report.id === body.id)!.indicators[0]!;
    // The other member knows only the GREEN report: its confidence, one organisation.
    expect(warningAt('other')).toMatchObject({ value, confidence: 10, org_count: 1 });
    // The RED report's owner may see both statements.
    expect(warningAt('reporter')).toMatchObject({ value, confidence: 10, org_count: 2 });
    // Nothing in the other member's bundle comes from the RED report.
    const other = envelopesAt('/other').find((envelope) => envelope.report.id === body.id)!;
    const redMarking = tlpMarkingFor(TlpLevel.Red).id;
    for (const object of other.bundle.objects ?? []) {
      expect((object as { object_marking_refs?: string[] }).object_marking_refs ?? []).not.toContain(redMarking);
      if ((object as { created_by_ref?: string }).created_by_ref !== undefined) {
        expect((object as { created_by_ref: string }).created_by_ref).not.toBe(
          identityIdForOrganisation(orgIds.reporter),
        );
      }
    }
  });

  it('enforces the sharing rule: each level × audience × reporter / recipient / other organisation', async () => {
    const audiences = { network: [] as string[], restricted: [orgIds.recipient] };
    const reportIds: { tlp: TlpLevel; audience: keyof typeof audiences; id: string }[] = [];
    for (const [index, tlp] of Object.values(TlpLevel).entries()) {
      for (const audience of ['network', 'restricted'] as const) {
        // RED always names its recipients.
        if (tlp === TlpLevel.Red && audience === 'network') continue;
        const { body } = await submit(
          'reporter',
          reportBody({
            tlp,
            ...(audience === 'network' ? {} : { tlp_recipients: audiences[audience] }),
            indicators: [{ type: 'ipv4', value: `198.51.100.${10 + index * 2 + (audience === 'network' ? 0 : 1)}` }],
          }),
        );
        reportIds.push({ tlp, audience, id: body.id });
      }
    }
    await waitFor('every report normalised', async () => {
      const done = await context.dataSource
        .getRepository(IncidentReportEntity)
        .countBy({ status: ReportStatus.Normalised });
      return done >= reportIds.length + 1 ? true : undefined;
    });
    await settled();
    const received = (party: Party) => new Set(envelopesAt(`/${party}`).map((envelope) => envelope.report.id));
    // Network audience: every member; a restricted one: its recipients; RED only where the subscription accepts it
    // (every party's "everything" subscription does).
    const expected = (audience: keyof typeof audiences): Party[] =>
      audience === 'network' ? ['recipient', 'other'] : ['recipient'];
    for (const { tlp, audience, id } of reportIds) {
      const reached = PARTIES.filter((party) => received(party).has(id));
      expect({ tlp, audience, reached }).toEqual({ tlp, audience, reached: expected(audience) });
    }
  });
});
