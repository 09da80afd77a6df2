import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { seedSearchableIndicators } from '../../scripts/lib/searchable-indicators.factory';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/**
 * Cursor pages of `GET /api/v1/indicators` walk the whole list once, also where many rows share one last-seen instant
 * (one refresh writes its batch at its transaction's now(), to the microsecond).
 */
describe('indicator search: cursor pages', () => {
  const SEEDED = 2500;
  let context: TestContext;
  let portal: NestExpressApplication;
  let apiKey: string;

  beforeAll(async () => {
    context = await createTestContext();
    portal = await bootPortalApp(context.config);
    const created = await createOrganisationWithApiKey(context.dataSource);
    apiKey = created.apiKey;
    await seedSearchableIndicators(context.dataSource, context.config, created.organisation.id, SEEDED);
  }, 60_000);

  afterAll(async () => {
    await portal?.close();
    await context?.cleanup();
  });

  it.each(['last_seen', 'score', 'org_count'])('pages of 100 by %s list every indicator once', async (sort) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await request(portal.getHttpServer())
        .get('/api/v1/indicators')
        .query({ sort, limit: 100, ...(cursor ? { cursor } : {}) })
        .set('X-Api-Key', apiKey);
      expect(response.status).toBe(200);
      const page = response.body as { items: { id: string }[]; next_cursor: string | null };
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toHaveLength(SEEDED);
    expect(new Set(seen).size).toBe(SEEDED);
    expect(pages).toBe(SEEDED / 100);
  });
});
