import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@vigia/config';
import { TlpLevel } from '@vigia/indicators';
import {
  IndicatorRepository,
  READER_APPLICATION_NAME,
  dataSourceOptions,
  ensureDatabaseExists,
  runMigrations,
} from '@vigia/database';
import { audienceKeyOf } from '@vigia/sharing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { freePort } from '../../scripts/lib/free-port';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { deleteKeys } from '../../scripts/lib/redis-keys';
import { ReplicaCluster, startPrimary } from '../../scripts/lib/replica-cluster';
import { insertStixVersions } from '../../scripts/lib/stix-object.factory';
import { bootPortalApp } from '../support/portal-app';

const NETWORK = '/taxii2/vigia/collections/network/objects/';
const TAXII = 'application/taxii+json;version=2.1';
/** The replica's URL carries this password: no log call may carry it (nor the URL). */
const REPLICA_PASSWORD = `replica-${randomBytes(6).toString('hex')}`;

type Organisations = { organisation: { name: string } }[];

interface Indicator {
  id: string;
  value: string;
  sighting_count: number;
}

/**
 * The read paths on a real streaming replica (a private primary made with initdb, its base backup started as a hot
 * standby): the shared server accepts no replication connections, and a base backup of it would copy every test
 * database. The portal is booted as its main.ts does, with DATABASE_READ_URL, listening on a free port.
 *
 * That reads are served by the replica is shown with rows the primary no longer has: with replay paused, rows are
 * deleted or renamed on the primary behind the portal's back; a read that still shows them came from the replica.
 */
describe('Reads on a streaming replica (DATABASE_READ_URL)', () => {
  let cluster: ReplicaCluster;
  let primary: DataSource;
  let redis: Redis;
  let portal: NestExpressApplication;
  let base: string;
  const warnings = jest.spyOn(Logger.prototype, 'warn');
  const prefix = `vigia-test-replica-${randomBytes(4).toString('hex')}`;
  const keys = { a: '', b: '' };
  const ids = { a: '', b: '', c: '' };
  const seen = {
    sighted: '',
    sightedValue: '',
    vanishing: '',
    vanishingValue: '',
    /** The incident report id of a STIX report of A's that refers to the vanishing indicator. */
    vanishingReport: '',
    cName: '',
  };

  /** One request to the portal; the JSON answer's fields are read by each caller, as the route answers them. */
  const call = async <T = Record<string, unknown>>(
    key: string,
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: {
        'X-Api-Key': key,
        'content-type': 'application/json',
        Accept: path.startsWith('/taxii2') ? TAXII : 'application/json',
      },
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  const search = async (key: string, value: string): Promise<Indicator[]> => {
    const answer = await call<{ items: Indicator[] }>(key, `/api/v1/indicators?value=${encodeURIComponent(value)}`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const detail = (key: string, id: string) => call<Indicator>(key, `/api/v1/indicators/${id}`);
  const lookup = async (key: string, value: string): Promise<number> => {
    const answer = await call<{ results: { indicators: unknown[] }[] }>(key, '/api/v1/indicators/lookup', {
      method: 'POST',
      body: JSON.stringify({ values: [value] }),
    });
    expect(answer.status).toBe(200);
    return answer.body.results[0]!.indicators.length;
  };
  const taxiiIds = async (key: string): Promise<string[]> => {
    const answer = await call<{ objects?: { id: string }[] }>(key, NETWORK);
    expect(answer.status).toBe(200);
    return (answer.body.objects ?? []).map((object) => object.id);
  };
  const directoryNames = async (key: string): Promise<string[]> => {
    const answer = await call<{ items: Organisations }>(key, '/api/v1/directory');
    expect(answer.status).toBe(200);
    return answer.body.items.map((item) => item.organisation.name);
  };
  const lookupOwner = async (key: string): Promise<string[]> => {
    const answer = await call<{ organisations: Organisations }>(key, '/api/v1/directory/lookup?value=203.0.113.9');
    expect(answer.status).toBe(200);
    return answer.body.organisations.map((item) => item.organisation.name);
  };
  const exported = async (key: string): Promise<string> => {
    const answer = await call(key, '/api/v1/directory/export');
    expect(answer.status).toBe(200);
    return JSON.stringify(answer.body);
  };
  const objectStatus = async (key: string, id: string, query = ''): Promise<number> =>
    (await call(key, `/api/v1/objects/${id}${query}`)).status;
  const bundleIds = async (key: string, reportId: string): Promise<string[] | number> => {
    const answer = await call<{ objects?: { id: string }[] }>(key, `/api/v1/reports/${reportId}?format=stix`);
    return answer.status === 200 ? (answer.body.objects ?? []).map((object) => object.id) : answer.status;
  };
  const mispFeedEvents = async (key: string): Promise<string[]> => {
    const answer = await call(key, '/api/v1/misp-feed/manifest.json');
    expect(answer.status).toBe(200);
    return Object.keys(answer.body);
  };
  const readerConnections = async (): Promise<number> => {
    const client = new DataSource(dataSourceOptions({ url: cluster.replicaUrl('postgres'), poolSize: 1 }));
    await client.initialize();
    try {
      const [row] = (await client.query(
        `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1 AND datname = 'vigia'`,
        [READER_APPLICATION_NAME],
      )) as { count: number }[];
      return row!.count;
    } finally {
      await client.destroy();
    }
  };

  /** A public (TLP:CLEAR) indicator of A's in the STIX store and the search view. */
  const seedIndicator = async (value: string): Promise<string> => {
    const [id] = await insertStixVersions(primary, [
      { ownerId: ids.a, tlp: TlpLevel.Clear, indicatorType: 'domain', indicatorValue: value },
    ]);
    const audienceKey = audienceKeyOf({ ownerId: ids.a, tlp: TlpLevel.Clear, recipients: [] });
    await new IndicatorRepository(primary).refresh([{ stixId: id!, audienceKey }], {
      decay: {},
      falsePositiveThreshold: 0,
    });
    return id!;
  };

  /** A public (TLP:CLEAR) STIX report of A's, as normalisation makes of an incident report; answers the report's id. */
  const seedReport = async (objectRefs: string[]): Promise<string> => {
    const reportId = randomUUID();
    const modified = new Date().toISOString();
    await insertStixVersions(primary, [
      {
        type: 'report',
        id: `report--${reportId}`,
        ownerId: ids.a,
        tlp: TlpLevel.Clear,
        extra: { published: modified, report_types: ['indicator'], object_refs: objectRefs },
      },
    ]);
    await primary.query(`UPDATE stix_objects SET report_id = $1 WHERE stix_id = $2`, [reportId, `report--${reportId}`]);
    return reportId;
  };

  beforeAll(async () => {
    cluster = await startPrimary();
    const url = cluster.primaryUrl('vigia');
    await ensureDatabaseExists(url);
    await runMigrations(url);
    primary = await new DataSource(dataSourceOptions({ url, poolSize: 2 })).initialize();
    const a = await createOrganisationWithApiKey(primary);
    const b = await createOrganisationWithApiKey(primary);
    const c = await createOrganisationWithApiKey(primary);
    Object.assign(keys, { a: a.apiKey, b: b.apiKey });
    Object.assign(ids, { a: a.organisation.id, b: b.organisation.id, c: c.organisation.id });
    seen.cName = c.organisation.name;
    await primary.query(`INSERT INTO directory_networks (organisation_id, network) VALUES ($1, '203.0.113.0/24')`, [
      ids.c,
    ]);
    seen.sightedValue = `sighted-${randomBytes(3).toString('hex')}.replica.example`;
    seen.sighted = await seedIndicator(seen.sightedValue);
    seen.vanishingValue = `vanishing-${randomBytes(3).toString('hex')}.replica.example`;
    seen.vanishing = await seedIndicator(seen.vanishingValue);
    seen.vanishingReport = await seedReport([seen.vanishing]);
    // The base backup copies the whole private cluster: the migrated, seeded database with it.
    await cluster.startReplica();

    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: url,
      DATABASE_READ_URL: cluster.replicaUrl('vigia', REPLICA_PASSWORD),
      DATABASE_POOL_SIZE: '4',
      REDIS_PREFIX: prefix,
    });
    redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
    portal = await bootPortalApp(config);
    const port = await freePort();
    await portal.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    warnings.mockRestore();
    await portal?.close();
    await primary?.destroy();
    if (redis) {
      await deleteKeys(redis, `${prefix}*`);
      await redis.quit();
    }
    await cluster?.destroy();
  }, 60_000);

  it('serves indicator search, lookup and detail, TAXII, the directory, STIX objects and report exports from the replica', async () => {
    // Everything seeded has reached the replica; a first TAXII page leaves a horizon the paused replica holds.
    await cluster.caughtUp();
    expect(await taxiiIds(keys.b)).toContain(seen.vanishing);
    await cluster.caughtUp();
    await cluster.pauseReplay();
    // Behind the portal's back (no write position recorded): gone or renamed on the primary only.
    await primary.query(`DELETE FROM indicator_search WHERE stix_id = $1`, [seen.vanishing]);
    await primary.query(`DELETE FROM stix_objects WHERE stix_id = ANY($1::text[])`, [
      [seen.vanishing, `report--${seen.vanishingReport}`],
    ]);
    await primary.query(`UPDATE organisations SET name = 'Renamed on the primary' WHERE id = $1`, [ids.c]);

    // TAXII first: it reads with a horizon of the last seconds that the paused replica has replayed past.
    expect(await taxiiIds(keys.b)).toContain(seen.vanishing);
    expect((await search(keys.b, seen.vanishingValue)).map((item) => item.id)).toEqual([seen.vanishing]);
    expect((await detail(keys.b, seen.vanishing)).status).toBe(200);
    expect(await lookup(keys.b, seen.vanishingValue)).toBe(1);
    expect(await directoryNames(keys.b)).toContain(seen.cName);
    expect(await lookupOwner(keys.b)).toEqual([seen.cName]);
    expect(await exported(keys.b)).toContain(seen.cName);
    // STIX objects by id (latest, and every version) and the report exports: bundle, MISP event and MISP feed.
    expect(await objectStatus(keys.b, seen.vanishing)).toBe(200);
    expect(await objectStatus(keys.b, seen.vanishing, '?version=all')).toBe(200);
    expect(await bundleIds(keys.b, seen.vanishingReport)).toEqual(
      expect.arrayContaining([`report--${seen.vanishingReport}`, seen.vanishing]),
    );
    expect((await call(keys.b, `/api/v1/reports/${seen.vanishingReport}?format=misp`)).status).toBe(200);
    expect(await mispFeedEvents(keys.b)).toContain(seen.vanishingReport);
    expect((await call(keys.b, `/api/v1/misp-feed/${seen.vanishingReport}.json`)).status).toBe(200);
    expect(await readerConnections()).toBeGreaterThan(0);

    // Once the replica has replayed, the same reads see what the primary has.
    await cluster.resumeReplay();
    await cluster.caughtUp();
    expect(await search(keys.b, seen.vanishingValue)).toEqual([]);
    expect((await detail(keys.b, seen.vanishing)).status).toBe(404);
    expect(await taxiiIds(keys.b)).not.toContain(seen.vanishing);
    expect(await objectStatus(keys.b, seen.vanishing)).toBe(404);
    expect(await bundleIds(keys.b, seen.vanishingReport)).toBe(404);
    expect(await mispFeedEvents(keys.b)).not.toContain(seen.vanishingReport);
    expect(await directoryNames(keys.b)).toContain('Renamed on the primary');
    expect(await lookupOwner(keys.b)).toEqual(['Renamed on the primary']);
  });

  it('shows an organisation its own write at once, from the primary, while the replica lags', async () => {
    await cluster.pauseReplay();
    try {
      const sighting = await call(keys.a, `/api/v1/indicators/${seen.sighted}/sightings`, {
        method: 'POST',
        body: JSON.stringify({ tlp: 'clear', where: 'constituency', count: 3 }),
      });
      expect(sighting.status).toBe(201);
      expect((sighting.body.indicator as Indicator).sighting_count).toBe(3);
      // The writer reads its write on the next request, search and detail alike...
      expect((await search(keys.a, seen.sightedValue))[0]!.sighting_count).toBe(3);
      expect((await detail(keys.a, seen.sighted)).body.sighting_count).toBe(3);
      // ...while another organisation, with no write of its own, is served by the paused replica.
      expect((await detail(keys.b, seen.sighted)).body.sighting_count).toBe(0);
      expect(Number(await redis.get(`${prefix}:read-replica:written:${ids.a}`))).toBeGreaterThan(0);
      expect(await redis.get(`${prefix}:read-replica:written:${ids.b}`)).toBeNull();
    } finally {
      await cluster.resumeReplay();
    }
    await cluster.caughtUp();
    expect((await detail(keys.b, seen.sighted)).body.sighting_count).toBe(3);
  });

  it('falls back to the primary when the replica stops, saying so once in the log without the URL', async () => {
    await cluster.stopReplica();
    for (let round = 0; round < 3; round += 1) {
      expect((await search(keys.a, seen.vanishingValue)).length).toBe(0);
      expect((await detail(keys.b, seen.sighted)).body.sighting_count).toBe(3);
      expect(await directoryNames(keys.b)).toContain('Renamed on the primary');
      expect(await taxiiIds(keys.b)).toContain(seen.sighted);
    }
    const unreachable = warnings.mock.calls.filter((call) => call.includes('read replica unreachable'));
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]![0]).toMatchObject({
      outcome: 'reads go to the primary',
      error: { code: expect.any(String) },
    });
    const logged = JSON.stringify(warnings.mock.calls);
    expect(logged).not.toContain(REPLICA_PASSWORD);
    expect(logged).not.toContain(`127.0.0.1:${new URL(cluster.replicaUrl('vigia')).port}`);
  });
});
