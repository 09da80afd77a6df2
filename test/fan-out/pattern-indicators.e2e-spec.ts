import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { WarningEnvelope } from '@vigia/warning-stream';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

const indicator = (id: string, patternType: string, pattern: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: `${patternType} rule`,
  indicator_types: ['malicious-activity'],
  pattern,
  pattern_type: patternType,
  valid_from: '2026-01-01T00:00:00.000Z',
  object_marking_refs: [GREEN],
});

const SIGMA_ID = 'indicator--4d3e2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c1b';
const SIGMA = 'title: Suspicious certutil download\nlogsource:\n  category: process_creation\n  product: windows';
const AND_ID = 'indicator--5e4f3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c';
const AND = "[ipv4-addr:value = '203.0.113.9' AND network-traffic:dst_port = 443]";

/**
 * Indicators no value stands for (another pattern language, AND) are kept as sent and still warn: by the report's
 * filters and the types their pattern compares, never by a constituency.
 */
describe('early warnings of indicators whose pattern cannot be reduced to values', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  let reporterKey: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    reporterKey = (await createOrganisationWithApiKey(context.dataSource, { name: 'Reporter' })).apiKey;
    const recipientKey = (await createOrganisationWithApiKey(context.dataSource, { name: 'Recipient' })).apiKey;
    const subscribe = (path: string, filters: Record<string, unknown>) =>
      request(portal.getHttpServer())
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', recipientKey)
        .send({ name: path, filters, channels: [{ type: 'webhook', url: receiver.url(path) }] })
        .expect(201);
    await subscribe('/everything', {});
    await subscribe('/malicious-code', { classifications: ['malicious-code'], countries: ['UY'] });
    await subscribe('/fraud', { classifications: ['fraud'] });
    await subscribe('/ipv4', { indicator_types: ['ipv4'] });
    await subscribe('/constituency', { constituency: { cidrs: ['203.0.113.0/24'] } });
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  const patternsAt = (path: string): string[] =>
    receiver
      .requestsTo(path)
      .flatMap((received) => (JSON.parse(received.body) as WarningEnvelope).indicators)
      .map((warned) => `${warned.type} ${warned.stix_id}`)
      .sort();

  it('warns subscriptions by classification, country and type; never by constituency', async () => {
    const response = await request(ingest.getHttpServer())
      .post('/api/v1/reports/stix')
      .query({ classification: 'malicious-code', type: 'c2-server', countries: 'UY' })
      .set('X-Api-Key', reporterKey)
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          type: 'bundle',
          id: 'bundle--6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c',
          objects: [indicator(SIGMA_ID, 'sigma', SIGMA), indicator(AND_ID, 'stix', AND)],
        }),
      )
      .expect(202);
    const id = response.body.id as string;
    await waitFor('the report to be normalised', async () => {
      const row = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
      return row.status === ReportStatus.Normalised ? row : undefined;
    });
    await waitFor('the warnings', async () => (receiver.requestsTo('/everything').length > 0 ? true : undefined));
    await waitForQueuesToDrain(context.config);

    const both = [`pattern:sigma ${SIGMA_ID}`, `pattern:stix ${AND_ID}`];
    expect(patternsAt('/everything')).toEqual(both);
    expect(patternsAt('/malicious-code')).toEqual(both);
    expect(patternsAt('/ipv4')).toEqual([`pattern:stix ${AND_ID}`]);
    expect(patternsAt('/fraud')).toEqual([]);
    expect(patternsAt('/constituency')).toEqual([]);
    const [envelope] = receiver
      .requestsTo('/everything')
      .map((received) => JSON.parse(received.body) as WarningEnvelope);
    expect(envelope?.indicators.find((warned) => warned.stix_id === SIGMA_ID)?.value).toBe(SIGMA);
    expect(envelope?.bundle.objects?.map((object) => object.id)).toEqual(expect.arrayContaining([SIGMA_ID, AND_ID]));
  });
});
