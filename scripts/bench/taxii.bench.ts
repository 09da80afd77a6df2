// npm run bench:taxii [-- --objects 1000000 --samples 50 --port 3302]
// A throwaway database with 1,000,000 stored STIX objects (60% indicators, 20% ipv4-addr, 10% malware, 10%
// sightings; 2,000 objects per date_added as a report's transaction writes them; 2% RED to another member, invisible
// to the caller; 5% with an older version) and a real portal process; prints p50/p95 of a 1,000-object TAXII page
// (the first, deep pages reached by next, added_after pages, match[type] pages) and the rate of a whole walk by next.
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { TaxiiRepository } from '@vigia/database';
import { arg, createBenchEnvironment, machine, percentile, seedOrganisation, startApp, stopApp } from './bench-env';

const PAGE = 1000;
const PER_INSTANT = 2000;
const BATCH = 100_000;
const TAXII = 'application/taxii+json;version=2.1';
const OBJECTS = '/taxii2/vigia/collections/network/objects/';
const START = Date.parse('2025-01-01T00:00:00Z');

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  body: { more?: boolean; next?: string; objects?: { id: string }[] };
}

function get(agent: Agent, port: number, path: string, apiKey: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, agent, headers: { 'x-api-key': apiKey, accept: TAXII } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const ms = performance.now() - started;
          resolve({ status: answer.statusCode ?? 0, ms, bytes: text.length, body: JSON.parse(text) as Answer['body'] });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Seeds `count` objects (and 5% older versions) straight in SQL, 100,000 per statement, all reported by `reporter`:
 * its RED ones (no recipients) stay with it, the rest the whole network sees.
 */
async function seed(
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
  count: number,
  reporter: string,
): Promise<void> {
  for (let from = 0; from < count; from += BATCH) {
    await query(
      `WITH generated AS (
         SELECT n,
                CASE WHEN n % 10 = 0 THEN 'malware' WHEN n % 10 IN (1, 2) THEN 'ipv4-addr'
                     WHEN n % 10 = 3 THEN 'sighting' ELSE 'indicator' END AS type,
                to_timestamp($3::double precision / 1000) + (n / ${PER_INSTANT}) * interval '1 second' AS date_added,
                CASE WHEN n % 50 = 0 THEN 'red' WHEN n % 50 = 1 THEN 'amber+strict' ELSE 'green' END AS tlp,
                md5(n::text)::uuid AS uuid
           FROM generate_series($1::int, $2::int - 1) AS n
       ), versions AS (
         SELECT g.*, v.latest,
                g.date_added - CASE WHEN v.latest THEN interval '0' ELSE interval '30 days' END AS modified
           FROM generated g CROSS JOIN LATERAL (VALUES (true), (false)) AS v(latest)
          WHERE v.latest OR g.n % 20 = 5
       )
       INSERT INTO stix_objects (stix_id, audience_key, audience_owner, modified, type, created, date_added, is_latest,
                                 object, tlp, tlp_recipients, created_by_org, indicator_type, indicator_value,
                                 confidence)
       SELECT v.type || '--' || v.uuid,
              CASE v.tlp WHEN 'green' THEN 'network' ELSE 'aud-' || md5(v.tlp)::uuid END,
              CASE v.tlp WHEN 'green' THEN NULL ELSE $4::uuid END,
              v.modified, v.type, v.date_added - interval '30 days',
              v.date_added - CASE WHEN v.latest THEN interval '0' ELSE interval '30 days' END,
              v.latest,
              jsonb_build_object(
                'type', v.type, 'spec_version', '2.1', 'id', v.type || '--' || v.uuid,
                'created', to_char((v.date_added - interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'modified', to_char(v.modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'created_by_ref', 'identity--' || md5($4::text)::uuid,
                'object_marking_refs', jsonb_build_array('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'),
                'name', 'Benchmark object ' || v.n,
                'description', 'Seen scanning SSH on many hosts of the constituency during the night; blocked.',
                'pattern', '[ipv4-addr:value = ''' || (v.n % 256) || '.' || (v.n / 256 % 256) || '.' || (v.n / 65536 % 256) || '.7'']',
                'pattern_type', 'stix', 'valid_from', to_char(v.modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'labels', jsonb_build_array('malicious-activity', 'scanner'), 'confidence', 70),
              v.tlp,
              '{}'::uuid[],
              $4::uuid, 'ipv4', (v.n % 256) || '.' || (v.n / 256 % 256) || '.' || (v.n / 65536 % 256) || '.7', 70
         FROM versions v`,
      [from, Math.min(from + BATCH, count), START, reporter],
    );
  }
}

const summary = (label: string, samples: number[]): string => {
  const sorted = [...samples].sort((x, y) => x - y);
  const ms = (p: number) => percentile(sorted, p).toFixed(1);
  return `${label}: p50 ${ms(50)} ms, p95 ${ms(95)} ms, max ${sorted.at(-1)?.toFixed(1)} ms (${sorted.length} pages)`;
};

async function main(): Promise<void> {
  const count = arg('objects', 1_000_000);
  const samples = arg('samples', 50);
  const port = arg('port', 3302);
  const environment = await createBenchEnvironment({ PORTAL_PORT: String(port) });
  const { dataSource } = environment;
  const portal = await startApp('portal', environment.env, port);
  try {
    const caller = await seedOrganisation(dataSource, 'Bench caller');
    const reporter = await seedOrganisation(dataSource, 'Bench reporter');
    const seeded = performance.now();
    await seed(dataSource.query.bind(dataSource), count, reporter.id);
    await dataSource.query('VACUUM ANALYZE stix_objects');
    const seedSeconds = ((performance.now() - seeded) / 1000).toFixed(1);
    const [rows] = (await dataSource.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE is_latest)::int AS latest,
              pg_size_pretty(pg_total_relation_size('stix_objects')) AS size FROM stix_objects`,
    )) as { rows: number; latest: number; size: string }[];

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const page = (query: string) => get(agent, port, `${OBJECTS}?limit=${PAGE}${query}`, caller.apiKey);
    const expectFull = (answer: Answer, what: string) => {
      if (answer.status !== 200) throw new Error(`${what} answered ${answer.status}`);
      return answer;
    };
    // Warm-up: the portal's first requests compile code paths.
    for (let index = 0; index < 5; index += 1) expectFull(await page(''), 'warm-up');

    const first: number[] = [];
    for (let index = 0; index < samples; index += 1) first.push(expectFull(await page(''), 'first page').ms);

    const walkStarted = performance.now();
    const deep: number[] = [];
    let served = 0;
    let bytes = 0;
    let answer = expectFull(await page(''), 'walk');
    served += answer.body.objects?.length ?? 0;
    while (answer.body.more) {
      answer = expectFull(await page(`&next=${encodeURIComponent(answer.body.next!)}`), 'walk by next');
      deep.push(answer.ms);
      served += answer.body.objects?.length ?? 0;
      bytes += answer.bytes;
    }
    const walkSeconds = (performance.now() - walkStarted) / 1000;

    const span = (count / PER_INSTANT) * 1000;
    const randomInstant = () => new Date(START + Math.floor(Math.random() * span)).toISOString();
    const addedAfter: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      addedAfter.push(expectFull(await page(`&added_after=${randomInstant()}`), 'added_after').ms);
    }
    const byType: Record<string, number[]> = { malware: [], indicator: [] };
    for (const type of Object.keys(byType)) {
      for (let index = 0; index < samples; index += 1) {
        const after = index === 0 ? '' : `&added_after=${randomInstant()}`;
        byType[type]!.push(expectFull(await page(`&match[type]=${type}${after}`), `match[type]=${type}`).ms);
      }
    }
    agent.destroy();

    // The same pages through TaxiiRepository alone (one SQL statement each), without HTTP and the portal.
    const repository = new TaxiiRepository(dataSource);
    const sqlOnly: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      const [at] = randomInstant().split('.');
      const started = performance.now();
      await repository.page({
        viewerId: caller.id,
        scope: { kind: 'network' },
        ids: [],
        types: [],
        versions: { last: true, first: false, all: false, exactly: [] },
        after: { dateAdded: `${at}.000000Z`, seq: '0' },
        rows: PAGE + 1,
        withObjects: true,
      });
      sqlOnly.push(performance.now() - started);
    }

    process.stdout.write(
      [
        `bench:taxii on ${machine()}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
        `stix_objects: ${rows?.rows} rows, ${rows?.latest} latest (${count} objects), ${rows?.size}; seeded in ${seedSeconds} s`,
        `pages of ${PAGE} objects through the real portal process (API key, network collection, one request at a time)`,
        summary('first page', first),
        summary('deep pages by next (the whole walk)', deep),
        summary('added_after (random instants)', addedAfter),
        ...Object.entries(byType).map(([type, list]) =>
          summary(`match[type]=${type} (first + random added_after)`, list),
        ),
        summary('TaxiiRepository.page alone (SQL, random positions)', sqlOnly),
        `walk by next: ${served} objects in ${walkSeconds.toFixed(1)} s = ${Math.round(served / walkSeconds).toLocaleString('en')} objects/s ` +
          `(${(bytes / 2 ** 20).toFixed(0)} MiB)`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopApp(portal);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:taxii failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
