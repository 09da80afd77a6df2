import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_LISTED_PROBLEMS } from '@vigia/common';
import { IncidentReportEntity } from '@vigia/database';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

const BAD_ROWS = 10_000;
const TAXII = 'application/taxii+json;version=2.1';
/** The TAXII inbox collection every member may write to. */
const INBOX = '9dc07f44-eefc-4281-9234-e070ce686cf1';

// A submission with 10,000 problems is still answered with a short list and the full count.
describe('problem lists stay short however many problems there are', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let portal: NestExpressApplication;
  let apiKey: string;

  beforeAll(async () => {
    context = await createTestContext();
    [ingest, portal] = await Promise.all([bootIngestApp(context.config), bootPortalApp(context.config)]);
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), portal?.close()]);
    await context?.cleanup();
  });

  it(`stores and lists the first ${MAX_LISTED_PROBLEMS} of ${BAD_ROWS} bad CSV rows, and counts them all`, async () => {
    const rows = Array.from({ length: BAD_ROWS }, (_, index) => `mutex,lock-${index},,,,`);
    const csv = ['type,value,first_seen,last_seen,confidence,note', 'domain,good.example,,,,', ...rows, ''].join('\n');
    const submitted = await request(ingest.getHttpServer())
      .post('/api/v1/reports/csv')
      .query({
        title: 'Noisy feed',
        classification: 'information-gathering',
        type: 'scanner',
        severity: 'low',
        tlp: 'green',
      })
      .set('X-Api-Key', apiKey)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(202);

    const report = await context.dataSource
      .getRepository(IncidentReportEntity)
      .findOneByOrFail({ id: submitted.body.id as string });
    expect(report.indicatorCount).toBe(1);
    expect(report.skippedCount).toBe(BAD_ROWS);
    expect(report.skipped).toHaveLength(MAX_LISTED_PROBLEMS);

    const status = await request(ingest.getHttpServer())
      .get(submitted.body.status_url as string)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(status.body.counts).toEqual({ indicators: 1, skipped: BAD_ROWS });
    expect(status.body.skipped).toHaveLength(MAX_LISTED_PROBLEMS);
    // The first bad rows, in order: the header is line 1, the good row line 2.
    expect(status.body.skipped[0]).toMatchObject({ path: 'line 3', value: 'lock-0' });
    expect(status.body.skipped[MAX_LISTED_PROBLEMS - 1]).toMatchObject({ path: `line ${MAX_LISTED_PROBLEMS + 2}` });
  });

  it(`lists the first ${MAX_LISTED_PROBLEMS} of ${BAD_ROWS} refused TAXII objects, and counts them all`, async () => {
    const now = new Date().toISOString();
    // Indicators without `modified`, `pattern` and the rest: each one is refused.
    const objects = Array.from({ length: BAD_ROWS }, () => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: now,
    }));
    const added = await request(portal.getHttpServer())
      .post(`/taxii2/vigia/collections/${INBOX}/objects/`)
      .set('Accept', TAXII)
      .set('Content-Type', TAXII)
      .set('X-Api-Key', apiKey)
      .send(JSON.stringify({ objects }))
      .expect(202);
    expect(added.body).toMatchObject({
      total_count: BAD_ROWS,
      failure_count: BAD_ROWS,
      success_count: 0,
      pending_count: 0,
    });
    expect(added.body.failures).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(added.body.failures[0]).toMatchObject({ id: objects[0]!.id, message: expect.any(String) });

    const status = await request(portal.getHttpServer())
      .get(`/taxii2/vigia/status/${added.body.id as string}/`)
      .set('Accept', TAXII)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(status.body.failure_count).toBe(BAD_ROWS);
    expect(status.body.failures).toHaveLength(MAX_LISTED_PROBLEMS);
  });
});
