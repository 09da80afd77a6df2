import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

interface ListedReport {
  id: string;
  title: string;
  status: string;
  tlp: string;
  counts: { accepted: number; skipped: number };
  received_at: string;
  status_url: string;
}

interface ReportPage {
  items: ListedReport[];
  next_cursor: string | null;
}

/** `GET /api/v1/reports`: the organisation's own reports, newest first, by cursor pages, optionally by status. */
describe('ingest: an organisation lists its own reports', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let own: { apiKey: string; id: string };
  let other: { apiKey: string; id: string };
  /** Own reports, newest first, as submitted. */
  const submitted: string[] = [];
  let otherReportId: string;

  const submit = async (apiKey: string, body: Record<string, unknown>): Promise<string> => {
    const response = await request(app.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', apiKey).send(body);
    expect(response.status).toBe(202);
    return (response.body as { id: string }).id;
  };

  const list = async (apiKey: string, query: string): Promise<ReportPage> => {
    const response = await request(app.getHttpServer()).get(`/api/v1/reports${query}`).set('X-Api-Key', apiKey);
    expect(response.status).toBe(200);
    return response.body as ReportPage;
  };

  /** Every page of a listing, following next_cursor. */
  const walk = async (apiKey: string, query: string): Promise<ListedReport[]> => {
    const seen: ListedReport[] = [];
    let cursor: string | null = null;
    do {
      const page: ReportPage = await list(apiKey, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  };

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootIngestApp(context.config);
    const a = await createOrganisationWithApiKey(context.dataSource);
    const b = await createOrganisationWithApiKey(context.dataSource);
    own = { apiKey: a.apiKey, id: a.organisation.id };
    other = { apiKey: b.apiKey, id: b.organisation.id };
    for (let index = 0; index < 7; index += 1) {
      submitted.unshift(await submit(own.apiKey, reportBody({ title: `Own report ${index}` })));
    }
    otherReportId = await submit(other.apiKey, reportBody({ title: 'Another organisation’s report' }));
    // Two reports share one received_at instant: the id orders them, and paging neither repeats nor loses one.
    await context.dataSource.query(
      `UPDATE incident_reports SET received_at = (SELECT received_at FROM incident_reports WHERE id = $1) WHERE id = $2`,
      [submitted[3], submitted[2]],
    );
    await context.dataSource.query(
      `UPDATE incident_reports SET status = 'normalised', normalised_at = now() WHERE id = ANY($1::uuid[])`,
      [[submitted[0], submitted[4], submitted[5]]],
    );
    // As a CSV or MISP submission records rows it skipped (a JSON report with a bad indicator is refused whole).
    await context.dataSource.query(
      `UPDATE incident_reports SET skipped = '[{"path": "row 3", "reason": "not an address"}]' WHERE id = $1`,
      [submitted[0]],
    );
    await context.dataSource.query(
      `UPDATE incident_reports SET status = 'failed', failure_reason = 'test' WHERE id = $1`,
      [submitted[1]],
    );
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  it('lists only its own reports, newest first, with status, counts, TLP and title', async () => {
    const page = await list(own.apiKey, '?limit=100');
    const expectedOrder = (
      (await context.dataSource.query(
        `SELECT id FROM incident_reports WHERE organisation_id = $1 ORDER BY received_at DESC, id DESC`,
        [own.id],
      )) as { id: string }[]
    ).map((row) => row.id);
    expect(page.items.map((item) => item.id)).toEqual(expectedOrder);
    expect(page.items.map((item) => item.id).sort()).toEqual([...submitted].sort());
    expect(page.items.map((item) => item.id)).not.toContain(otherReportId);
    expect(page.next_cursor).toBeNull();
    const first = page.items.find((item) => item.id === submitted[0])!;
    expect(first).toMatchObject({
      title: 'Own report 6',
      status: 'normalised',
      tlp: 'amber',
      counts: { accepted: 4, skipped: 1 },
      status_url: `/api/v1/reports/${submitted[0]}`,
    });

    const theirs = await walk(other.apiKey, '?limit=1');
    expect(theirs.map((item) => item.id)).toEqual([otherReportId]);
  });

  it('pages by cursor without repeating or losing a report, also where two share an instant', async () => {
    const walked = await walk(own.apiKey, '?limit=2');
    const whole = (await list(own.apiKey, '?limit=100')).items;
    expect(walked.map((item) => item.id)).toEqual(whole.map((item) => item.id));
    expect(new Set(walked.map((item) => item.id)).size).toBe(7);
    const firstPage = await list(own.apiKey, '?limit=3');
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
  });

  it('keeps one status when asked', async () => {
    const normalised = await walk(own.apiKey, '?status=normalised&limit=2');
    expect(normalised.map((item) => item.id).sort()).toEqual([submitted[0], submitted[4], submitted[5]].sort());
    expect(normalised.every((item) => item.status === 'normalised')).toBe(true);
    const failed = await list(own.apiKey, '?status=failed');
    expect(failed.items.map((item) => item.id)).toEqual([submitted[1]]);
    const received = await walk(own.apiKey, '?status=received&limit=5');
    expect(received.map((item) => item.id).sort()).toEqual([submitted[2], submitted[3], submitted[6]].sort());
    // The other organisation's received report stays out of every filter.
    expect(received.map((item) => item.id)).not.toContain(otherReportId);
  });

  it('a cursor from another organisation’s listing still lists only the caller’s reports', async () => {
    const theirs = await list(other.apiKey, '?limit=1');
    const otherCursor = Buffer.from(`2999-01-01T00:00:00.000000Z ${otherReportId}`).toString('base64url');
    const mine = await walk(own.apiKey, `?limit=100&cursor=${otherCursor}`);
    expect(theirs.items).toHaveLength(1);
    expect(mine.map((item) => item.id).sort()).toEqual([...submitted].sort());
  });

  it.each([
    ['?status=archived', 'status'],
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?cursor=not-a-cursor', 'cursor'],
    [
      `?cursor=${Buffer.from('2026-02-30T00:00:00.000000Z 6f1d8a8e-2f64-4a43-9d44-1b1f3c1c2a10').toString('base64url')}`,
      'cursor',
    ],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const response = await request(app.getHttpServer()).get(`/api/v1/reports${query}`).set('X-Api-Key', own.apiKey);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('needs a key', async () => {
    await request(app.getHttpServer()).get('/api/v1/reports').expect(401);
  });
});
