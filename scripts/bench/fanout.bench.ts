// npm run bench:fanout [-- --subscriptions 1000 --endpoints 100 --rate 20 --seconds 30 --indicators 10]
// Real ingest, worker and portal processes on their own database and Redis prefix; 100 webhook receivers on
// loopback. Prints submission → webhook-received latency (p50/p95/p99) and deliveries/s.
import 'reflect-metadata';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { arg, createBenchEnvironment, machine, percentile, seedOrganisation, startApp, stopApp } from './bench-env';

/** The /24 a subscription watches: 11.<n/256>.<n%256>.0/24 — public space, on no warninglist. */
const constituencyOf = (n: number): string => `11.${Math.floor(n / 256)}.${n % 256}`;

async function startReceivers(count: number, onDelivery: (title: string, at: number) => void): Promise<Server[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const at = performance.now();
          response.writeHead(204).end();
          const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { report: { title: string } };
          onDelivery(envelope.report.title, at);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
}

async function main(): Promise<void> {
  const subscriptions = arg('subscriptions', 1000);
  const endpoints = arg('endpoints', 100);
  const rate = arg('rate', 20);
  const seconds = arg('seconds', 30);
  const perReport = arg('indicators', 10);
  const [ingestPort, workerPort, portalPort] = [arg('port', 3201), arg('port', 3201) + 1, arg('port', 3201) + 2];
  const environment = await createBenchEnvironment({
    INGEST_PORT: String(ingestPort),
    WORKER_PORT: String(workerPort),
    PORTAL_PORT: String(portalPort),
    INGEST_RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
  });

  const submittedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastDeliveryAt = 0;
  const receivers = await startReceivers(endpoints, (title, at) => {
    const sent = submittedAt.get(title);
    if (sent === undefined) return;
    latencies.push(at - sent);
    lastDeliveryAt = at;
  });
  const apps = await Promise.all([
    startApp('ingest', environment.env, ingestPort),
    startApp('worker', environment.env, workerPort),
    startApp('portal', environment.env, portalPort),
  ]);
  try {
    // 1,000 subscriptions of 50 CSIRTs, each watching its own /24 and posting to one of the receivers.
    const organisations = await Promise.all(
      Array.from({ length: 50 }, (_, index) => seedOrganisation(environment.dataSource, `Bench CSIRT ${index}`)),
    );
    for (let n = 0; n < subscriptions; n++) {
      const receiver = receivers[n % endpoints]!;
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${n}`;
      const response = await fetch(`http://127.0.0.1:${portalPort}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': organisations[n % organisations.length]!.apiKey },
        body: JSON.stringify({
          name: `constituency ${n}`,
          filters: { constituency: { cidrs: [`${constituencyOf(n)}.0/24`] } },
          channels: [{ type: 'webhook', url }],
        }),
      });
      if (response.status !== 201) throw new Error(`subscription ${n}: ${response.status} ${await response.text()}`);
    }
    const reporter = await seedOrganisation(environment.dataSource, 'Bench reporter');

    // Open loop: one report every 1/rate s whatever the answers, each indicator inside some subscription's /24.
    const total = rate * seconds;
    let failures = 0;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let index = 0; index < total; index++) {
      const due = started + (index * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const title = `bench report ${index}`;
      const indicators = Array.from({ length: perReport }, (_, i) => ({
        type: 'ipv4',
        value: `${constituencyOf((index * perReport + i) % subscriptions)}.${1 + ((index + i) % 250)}`,
      }));
      submittedAt.set(title, performance.now());
      sends.push(
        fetch(`http://127.0.0.1:${ingestPort}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': reporter.apiKey },
          body: JSON.stringify({
            title,
            classification: 'malicious-code',
            type: 'c2-server',
            severity: 'high',
            tlp: 'green',
            indicators,
          }),
        }).then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 202) failures += 1;
        }),
      );
    }
    await Promise.all(sends);
    const expected = total * perReport;
    const deadline = performance.now() + 60_000;
    while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    latencies.sort((a, b) => a - b);
    // Where the time goes, from the rows' own timestamps (database clock): ingest → normalised → fanned out → sent.
    const [stages] = (await environment.dataSource.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.normalised_at - r.received_at)) * 1000 AS normalise_p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM r.normalised_at - r.received_at)) * 1000 AS normalise_p99,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - r.normalised_at)) * 1000 AS fanout_p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.created_at - r.normalised_at)) * 1000 AS fanout_p99,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - d.created_at)) * 1000 AS deliver_p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - d.created_at)) * 1000 AS deliver_p99
         FROM webhook_deliveries d JOIN incident_reports r ON r.id = (d.payload->'report'->>'id')::uuid`,
    )) as Record<string, number>[];
    const ms = (value: number | undefined) => `${Math.round(value ?? NaN)} ms`;
    const window = (lastDeliveryAt - started) / 1000;
    process.stdout.write(
      [
        `bench:fanout on ${machine()}`,
        `${subscriptions} subscriptions of 50 organisations, ${endpoints} webhook receivers on loopback`,
        `${total} reports (${failures} refused) at ${rate}/s, ${perReport} indicators each; each indicator matches one subscription`,
        `deliveries: ${latencies.length} of ${expected} expected, ${(latencies.length / window).toFixed(1)} deliveries/s`,
        `stages (p50 / p99): received → normalised ${ms(stages?.normalise_p50)} / ${ms(stages?.normalise_p99)}, ` +
          `normalised → delivery queued ${ms(stages?.fanout_p50)} / ${ms(stages?.fanout_p99)}, ` +
          `queued → delivered ${ms(stages?.deliver_p50)} / ${ms(stages?.deliver_p99)}`,
        `submission → webhook received: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(apps.map(stopApp));
    await Promise.all(receivers.map((server) => new Promise((resolve) => server.close(resolve))));
    await environment.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:fanout failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
