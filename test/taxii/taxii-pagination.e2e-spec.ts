import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { StixVersionSpec, insertStixVersions } from '../../scripts/lib/stix-object.factory';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

const TAXII = 'application/taxii+json;version=2.1';
const OBJECTS = '/taxii2/vigia/collections/network/objects/';
const MANIFEST = '/taxii2/vigia/collections/network/manifest/';
const COUNT = 10_000;
/** Five instants shared by 2,000 objects each. */
const INSTANTS = [
  '2025-03-01T10:00:00.000000Z',
  '2025-03-01T10:00:00.000001Z',
  '2025-03-01T10:00:05.250000Z',
  '2025-03-02T00:00:00.000000Z',
  '2025-03-02T00:00:00.500000Z',
];

interface Page {
  ids: string[];
  dateAdded: string[];
  more: boolean;
  next?: string;
  last?: string;
}

/**
 * Paging through many objects that share few `date_added` values: by `next` and by `added_after` with
 * `X-TAXII-Date-Added-Last`, every object exactly once, never looping; and versions written by a transaction still
 * open are never overtaken.
 */
describe('TAXII pagination', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let key: string;
  let ownerId: string;
  const expected = new Set<string>();

  const page = async (base: string, query: string, listKey: 'objects' = 'objects'): Promise<Page> => {
    const response = await request(portal.getHttpServer())
      .get(`${base}?${query}`)
      .set('Accept', TAXII)
      .set('X-Api-Key', key)
      .expect(200);
    const entries = (response.body[listKey] ?? []) as { id: string; date_added?: string }[];
    return {
      ids: entries.map((entry) => entry.id),
      dateAdded: entries.map((entry) => entry.date_added ?? ''),
      more: response.body.more === true,
      next: response.body.next,
      last: response.headers['x-taxii-date-added-last'],
    };
  };

  beforeAll(async () => {
    context = await createTestContext();
    portal = await bootPortalApp(context.config);
    const created = await createOrganisationWithApiKey(context.dataSource);
    key = created.apiKey;
    ownerId = created.organisation.id;
    // Inserted in an order unrelated to date_added, so the sequence numbers interleave the five instants.
    const specs: StixVersionSpec[] = Array.from({ length: COUNT }, (_, index) => ({
      ownerId,
      dateAdded: INSTANTS[(index * 7) % INSTANTS.length],
      type: index % 3 === 0 ? 'malware' : 'indicator',
      extra: index % 3 === 0 ? { is_family: false } : {},
    }));
    for (const id of await insertStixVersions(context.dataSource, specs)) expected.add(id);
  });

  afterAll(async () => {
    await portal?.close();
    await context?.cleanup();
  });

  /** Checks a walk: every object once, in date_added order. */
  const expectEveryObjectOnce = (ids: string[]) => {
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids)).toEqual(expected);
  };

  it.each([777, 1000, 2500])('walks every object exactly once by next (limit %i)', async (limit) => {
    const ids: string[] = [];
    let current = await page(OBJECTS, `limit=${limit}`);
    ids.push(...current.ids);
    let pages = 1;
    while (current.more) {
      expect(current.next).toEqual(expect.any(String));
      expect(current.ids).toHaveLength(limit);
      current = await page(OBJECTS, `limit=${limit}&next=${encodeURIComponent(current.next!)}`);
      ids.push(...current.ids);
      pages += 1;
      expect(pages).toBeLessThanOrEqual(Math.ceil(COUNT / limit) + 1);
    }
    expect(current.next).toBeUndefined();
    expectEveryObjectOnce(ids);
  });

  it.each([777, 1000])(
    'walks every object exactly once by added_after and X-TAXII-Date-Added-Last (limit %i)',
    async (limit) => {
      const ids: string[] = [];
      let current = await page(OBJECTS, `limit=${limit}`);
      ids.push(...current.ids);
      let pages = 1;
      while (current.more) {
        current = await page(OBJECTS, `limit=${limit}&added_after=${current.last}`);
        ids.push(...current.ids);
        pages += 1;
        expect(pages).toBeLessThanOrEqual(Math.ceil(COUNT / limit) + 1);
      }
      expectEveryObjectOnce(ids);
      // Past the last object: nothing, and no headers.
      const after = await page(OBJECTS, `added_after=${current.last}`);
      expect(after).toMatchObject({ ids: [], more: false, last: undefined });
    },
  );

  it('gives the same pages by next as by added_after, and walks the manifest the same way', async () => {
    const first = await page(OBJECTS, 'limit=1234');
    const byNext = await page(OBJECTS, `limit=1234&next=${encodeURIComponent(first.next!)}`);
    const byAddedAfter = await page(OBJECTS, `limit=1234&added_after=${first.last}`);
    expect(byAddedAfter.ids).toEqual(byNext.ids);
    expect(byAddedAfter.last).toEqual(byNext.last);
    // A page that ends inside a group of one instant names its place in the group in the header.
    expect(first.last).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{25}Z$/);

    const ids: string[] = [];
    let current = await page(MANIFEST, 'limit=999');
    ids.push(...current.ids);
    const dates = [...current.dateAdded];
    while (current.more) {
      current = await page(MANIFEST, `limit=999&next=${encodeURIComponent(current.next!)}`);
      ids.push(...current.ids);
      dates.push(...current.dateAdded);
    }
    expectEveryObjectOnce(ids);
    expect(new Set(dates)).toEqual(new Set(INSTANTS));
    expect([...dates].sort()).toEqual(dates);
  });

  it('a plain added_after skips the whole instant, and filters combine with pages', async () => {
    const afterFirstInstant = await page(OBJECTS, `added_after=${INSTANTS[0]}&limit=10000`);
    expect(afterFirstInstant.ids).toHaveLength(COUNT - COUNT / INSTANTS.length);
    const malware: string[] = [];
    let current = await page(OBJECTS, 'match[type]=malware&limit=500');
    malware.push(...current.ids);
    while (current.more) {
      current = await page(OBJECTS, `match[type]=malware&limit=500&next=${encodeURIComponent(current.next!)}`);
      malware.push(...current.ids);
    }
    expect(new Set(malware).size).toBe(Math.ceil(COUNT / 3));
    expect(malware.every((id) => id.startsWith('malware--'))).toBe(true);
  });

  it('never serves a version past one a still-open transaction is writing (it would be skipped)', async () => {
    const lastBefore = (await page(OBJECTS, 'limit=10000')).last!;
    const runner = context.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // Written first (an earlier date_added), committed last.
      const [early] = await insertStixVersionsOn(runner.query.bind(runner), ownerId);
      const [late] = await insertStixVersions(context.dataSource, [{ ownerId }]);
      const meanwhile = await page(OBJECTS, `added_after=${lastBefore}`);
      expect(meanwhile.ids).toEqual([]);
      await runner.commitTransaction();
      const afterwards = await page(OBJECTS, `added_after=${lastBefore}`);
      expect(afterwards.ids).toEqual([early, late]);
    } finally {
      await runner.release();
    }
  });
});

/** One version written through a given connection (inside its open transaction). */
async function insertStixVersionsOn(
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
  ownerId: string,
): Promise<string[]> {
  const id = `indicator--${randomUUID()}`;
  const object = { type: 'indicator', spec_version: '2.1', id, created: new Date().toISOString() };
  await query(
    `INSERT INTO stix_objects (stix_id, audience_key, modified, type, created, object, tlp, created_by_org)
     VALUES ($1, 'network', now(), 'indicator', now(), $2::jsonb, 'green', $3)`,
    [id, JSON.stringify(object), ownerId],
  );
  return [id];
}
