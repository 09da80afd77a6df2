// npm run bench:directory [-- --organisations 10000 --lookups 2000 --warmup 200 --port 3301]
// A throwaway database with 10,000 organisations and 100,000 constituency entries (10 each: nested IPv4 and IPv6
// networks, AS numbers, nested domain suffixes) and a real portal process; prints "who is responsible for this?"
// lookup latency through GET /api/v1/directory/lookup and through DirectoryRepository alone (p50/p95/p99).
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { DirectoryEntryInput, DirectoryRepository, writeDirectoryEntry } from '@vigia/database';
import { parentDomains } from '../../apps/portal/src/directory/lookup-value';
import { arg, createBenchEnvironment, machine, percentile, seedOrganisation, startApp, stopApp } from './bench-env';

const ENTRIES_PER_ORGANISATION = 10;
const WRITERS = 4;

/** Organisation n's constituency: a /16 with two /24s and a /28 inside, an IPv6 /32 with a /48, 2 ASNs, 2 suffixes. */
function constituencyOf(n: number): DirectoryEntryInput['constituency'] {
  const [a, b] = [20 + (n % 200), Math.floor(n / 200)];
  const hex = n.toString(16);
  return {
    cidrs: [
      `${a}.${b}.0.0/16`,
      `${a}.${b}.1.0/24`,
      `${a}.${b}.2.0/24`,
      `${a}.${b}.1.16/28`,
      `2a00:${hex}::/32`,
      `2a00:${hex}:1::/48`,
    ],
    asns: [100_000 + n, 200_000 + n],
    domains: [`csirt-${n}.example`, `gov.csirt-${n}.example`],
  };
}

/** A lookup value for organisation n, cycling through kinds and depths; every fifth misses every constituency. */
function lookupValueOf(n: number, index: number): string {
  const [a, b] = [20 + (n % 200), Math.floor(n / 200)];
  switch (index % 5) {
    case 0:
      return `${a}.${b}.1.${17 + (index % 14)}`; // the /28
    case 1:
      return `${a}.${b}.${3 + (index % 200)}.9`; // only the /16
    case 2:
      return `2a00:${n.toString(16)}:1::${(index % 9000) + 1}`; // the /48
    case 3:
      return index % 2 ? `www.gov.csirt-${n}.example` : `AS${100_000 + n}`;
    default:
      return `198.18.${index % 256}.1`; // benchmarking space: nobody's
  }
}

function get(agent: Agent, port: number, path: string, apiKey: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent, headers: { 'x-api-key': apiKey } }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const summary = (label: string, samples: number[]): string => {
  const sorted = [...samples].sort((x, y) => x - y);
  const ms = (p: number) => percentile(sorted, p).toFixed(2);
  return `${label}: p50 ${ms(50)} ms, p95 ${ms(95)} ms, p99 ${ms(99)} ms, max ${sorted.at(-1)?.toFixed(2)} ms (${sorted.length} lookups)`;
};

async function main(): Promise<void> {
  const organisations = arg('organisations', 10_000);
  const lookups = arg('lookups', 2000);
  const warmup = arg('warmup', 200);
  const port = arg('port', 3301);
  const environment = await createBenchEnvironment({ PORTAL_PORT: String(port) });
  const { dataSource } = environment;
  const portal = await startApp('portal', environment.env, port);
  try {
    const seedStarted = performance.now();
    const caller = await seedOrganisation(dataSource, 'Bench caller');
    const ids = (
      (await dataSource.query(
        `INSERT INTO organisations (name, short_name, status, country_code, sector)
         SELECT 'Bench CSIRT ' || n, 'bench-csirt-' || n, 'active', 'UY', 'government'
           FROM generate_series(0, $1 - 1) AS n
         ORDER BY n
         RETURNING id`,
        [organisations],
      )) as { id: string }[]
    ).map(({ id }) => id);
    // Written as onboarding writes entries: through writeDirectoryEntry, a few organisations at a time.
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let n = next++; n < organisations; n = next++) {
          await writeDirectoryEntry(dataSource, ids[n]!, {
            profile: { website: `https://csirt-${n}.example`, mandate: null, description: null },
            contacts: [
              {
                name: `Duty officer ${n}`,
                role: 'Incident desk',
                email: `duty@csirt-${n}.example`,
                phone: '+59821234567',
                pgpKey: null,
                timeZone: 'America/Montevideo',
                languages: ['es', 'en'],
                hours: '24/7',
              },
            ],
            constituency: constituencyOf(n),
          });
        }
      }),
    );
    await dataSource.query('ANALYZE');
    const seconds = ((performance.now() - seedStarted) / 1000).toFixed(1);

    const values = Array.from({ length: warmup + lookups }, (_, index) =>
      lookupValueOf(Math.floor(Math.random() * organisations), index),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const http: number[] = [];
    let refused = 0;
    for (const [index, value] of values.entries()) {
      const started = performance.now();
      const status = await get(
        agent,
        port,
        `/api/v1/directory/lookup?value=${encodeURIComponent(value)}`,
        caller.apiKey,
      );
      if (index >= warmup) http.push(performance.now() - started);
      if (status !== 200) refused += 1;
    }
    agent.destroy();

    const repository = new DirectoryRepository(dataSource);
    const byKind: Record<string, number[]> = { ipv4: [], ipv6: [], domain: [], asn: [] };
    for (const [index, value] of values.entries()) {
      const started = performance.now();
      let kind: string;
      if (value.startsWith('AS')) {
        kind = 'asn';
        await repository.ownersOfAsn(Number(value.slice(2)));
      } else if (value.includes(':')) {
        kind = 'ipv6';
        await repository.ownersOfAddress(value);
      } else if (/[a-z]/.test(value)) {
        kind = 'domain';
        await repository.ownersOfDomain(parentDomains(value));
      } else {
        kind = 'ipv4';
        await repository.ownersOfAddress(value);
      }
      if (index >= warmup) byKind[kind]!.push(performance.now() - started);
    }

    const [counts] = (await dataSource.query(
      `SELECT (SELECT count(*) FROM directory_networks) + (SELECT count(*) FROM directory_asns)
              + (SELECT count(*) FROM directory_domains) AS entries`,
    )) as { entries: string }[];
    process.stdout.write(
      [
        `bench:directory on ${machine()}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
        `${organisations} organisations, ${counts?.entries} constituency entries (${ENTRIES_PER_ORGANISATION} each), seeded in ${seconds} s`,
        `lookups: ${lookups} after ${warmup} warm-up, one at a time, IPv4 (/28, /16), IPv6, domain, ASN, and 20% misses`,
        summary('GET /api/v1/directory/lookup (real portal process, API key)', http) +
          (refused ? `; ${refused} answers were not 200` : ''),
        summary('DirectoryRepository, all kinds', Object.values(byKind).flat()),
        ...Object.entries(byKind).map(([kind, samples]) => summary(`  ${kind}`, samples)),
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
    `bench:directory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
