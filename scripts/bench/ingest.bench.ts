// npm run bench:ingest [-- --reports 1000 --indicators 100 --concurrency 32 --warmup 200]
// Submits JSON reports to a real ingest process (own database and Redis prefix) and prints throughput and latency.
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { arg, createBenchEnvironment, machine, percentile, seedOrganisation, startApp, stopApp } from './bench-env';

function reportBody(index: number, indicators: number): string {
  const values = Array.from({ length: indicators }, (_, i) => {
    const n = index * indicators + i;
    switch (i % 5) {
      case 0:
        return { type: 'ipv4', value: `${11 + ((n >> 24) & 127)}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
      case 1:
        return { type: 'domain', value: `host-${n}.bench[.]example` };
      case 2:
        return { type: 'url', value: `hxxps://c2-${n}.bench.example/gate.php?id=${n}` };
      case 3:
        return { type: 'sha256', value: n.toString(16).padStart(64, 'a') };
      default:
        return { type: 'email', value: `phish-${n}@bench.example` };
    }
  });
  return JSON.stringify({
    title: `Benchmark report ${index}`,
    classification: 'malicious-code',
    type: 'c2-server',
    severity: 'high',
    tlp: 'green',
    indicators: values,
  });
}

async function main(): Promise<void> {
  const reports = arg('reports', 1000);
  const indicators = arg('indicators', 100);
  const concurrency = arg('concurrency', 32);
  const port = arg('port', 3101);
  const environment = await createBenchEnvironment({
    INGEST_PORT: String(port),
    INGEST_RATE_LIMIT_PER_MINUTE: '1000000',
    DATABASE_POOL_SIZE: '20',
  });
  const app = await startApp('ingest', environment.env, port);
  try {
    const { apiKey } = await seedOrganisation(environment.dataSource, 'Bench CSIRT');
    const bodies = Array.from({ length: reports }, (_, index) => reportBody(index, indicators));
    // node:http with keep-alive sockets: the load generator shares the 2 cores, so it should cost as little as it can.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = request(
          {
            agent,
            host: '127.0.0.1',
            port,
            path: '/api/v1/reports',
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'x-api-key': apiKey,
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    // Closed loop: each client sends its next report as soon as the previous one is answered.
    const run = async (queue: string[], latencies: number[]): Promise<number> => {
      let failures = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < queue.length) {
            const body = queue[next++]!;
            const sent = performance.now();
            const status = await post(body);
            latencies.push(performance.now() - sent);
            if (status !== 202) failures += 1;
          }
        }),
      );
      return failures;
    };
    // Warm-up at full concurrency (JIT, the database pool's connections, PostgreSQL caches), not measured.
    const warmUp = arg('warmup', 200);
    await run(
      Array.from({ length: warmUp }, (_, index) => reportBody(reports + index, indicators)),
      [],
    );

    const latencies: number[] = [];
    const started = performance.now();
    const failures = await run(bodies, latencies);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const accepted = reports - failures;
    const [{ count }] = (await environment.dataSource.query(
      `SELECT coalesce(sum(indicator_count), 0)::int AS count FROM report_indicator_batches`,
    )) as { count: number }[];
    process.stdout.write(
      [
        `bench:ingest on ${machine()}`,
        `${reports} reports x ${indicators} indicators, ${concurrency} concurrent clients, JSON over HTTP`,
        `accepted: ${accepted} reports (${failures} failed) in ${seconds.toFixed(2)} s`,
        `throughput: ${(accepted / seconds).toFixed(1)} reports/s, ${((accepted * indicators) / seconds).toFixed(0)} indicators/s`,
        `latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
        `stored indicators: ${count} (including ${warmUp} warm-up reports)`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopApp(app);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
