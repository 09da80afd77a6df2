import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { IncidentReportEntity, IndicatorCorrelationEntity, ReportStatus, StixObjectEntity } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import {
  FanOutWarningsPayload,
  JobName,
  JobQueueService,
  QueueName,
  warningsJobId,
  queueKeyPrefix,
} from '@vigia/queue';
import {
  identityIdForOrganisation,
  indicatorIdForPattern,
  locationIdForCountry,
  relationshipIdFor,
  sightingIdFor,
  stixPatternFor,
  tlpMarkingFor,
  vulnerabilityIdForCve,
} from '@vigia/stix';
import { IndicatorType } from '@vigia/indicators';
import { Queue } from 'bullmq';
import request from 'supertest';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { publicIndicators, storeReport } from '../../scripts/lib/stored-report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { bootWorkerApp } from '../support/worker-app';
import { NormaliseReportHandler } from '../../apps/worker/src/normalise/normalise-report.handler';

const ipId = (value: string) => indicatorIdForPattern(stixPatternFor(IndicatorType.Ipv4, value));
const domainId = (value: string) => indicatorIdForPattern(stixPatternFor(IndicatorType.Domain, value));

describe('worker: normalise reports into STIX', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let warnings: Queue;
  let orgA: { id: string; apiKey: string };
  let orgB: { id: string; apiKey: string };

  beforeAll(async () => {
    context = await createTestContext({ STIX_VALIDATE: 'true', JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' });
    ingest = await bootIngestApp(context.config);
    worker = await bootWorkerApp(context.config);
    const a = await createOrganisationWithApiKey(context.dataSource, { name: 'CERT-A', countryCode: 'UY' });
    const b = await createOrganisationWithApiKey(context.dataSource, { name: 'CSIRT-B', countryCode: 'AR' });
    orgA = { id: a.organisation.id, apiKey: a.apiKey };
    orgB = { id: b.organisation.id, apiKey: b.apiKey };
    warnings = new Queue(QueueName.Warnings, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
  });

  afterAll(async () => {
    await warnings?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  const submit = async (apiKey: string, body: Record<string, unknown>): Promise<string> => {
    const response = await request(ingest.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', apiKey).send(body);
    expect(response.status).toBe(202);
    return response.body.id as string;
  };

  const settled = (id: string) =>
    waitFor(`report ${id} to settle`, async () => {
      const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
      return report.status === ReportStatus.Received ? undefined : report;
    });

  /** The job once BullMQ has recorded its end (`finishedOn` is written with its attempts and result, atomically). */
  const finishedJob = (jobId: string) =>
    waitFor(`job ${jobId} to finish`, async () => {
      const job = await worker.get(JobQueueService).queue(QueueName.Reports).getJob(jobId);
      return job?.finishedOn ? job : undefined;
    });

  /** Removes the report's warnings job as if Redis had lost it, once it has finished (a running job is locked). */
  const loseWarningsJob = async (reportId: string) => {
    const job = await waitFor(`warnings job of ${reportId} to finish`, async () => {
      const found = await warnings.getJob(warningsJobId(reportId));
      return found?.finishedOn ? found : undefined;
    });
    await job.remove();
  };

  const versionsOf = (stixId: string) =>
    context.dataSource.getRepository(StixObjectEntity).find({ where: { stixId }, order: { modified: 'ASC' } });

  const latest = (stixId: string) =>
    context.dataSource.getRepository(StixObjectEntity).findOneByOrFail({ stixId, isLatest: true });

  it('turns a report from ingest into schema-valid STIX: indicators, SCOs, a vulnerability, the report, the identity', async () => {
    const id = await submit(
      orgA.apiKey,
      reportBody({
        indicators: [
          ...(reportBody().indicators as object[]),
          { type: 'cve', value: 'cve-2021-44228' },
          { type: 'ipv4', value: '198.51.100.7' },
        ],
      }),
    );
    const report = await settled(id);
    expect(report.status).toBe(ReportStatus.Normalised);
    expect(report.normalisedAt).not.toBeNull();
    const status = await request(ingest.getHttpServer()).get(`/api/v1/reports/${id}`).set('X-Api-Key', orgA.apiKey);
    expect(status.body).toMatchObject({ status: 'normalised', normalised_at: expect.any(String) });

    const rows = await context.dataSource.getRepository(StixObjectEntity).find({ where: { reportId: id } });
    const types = rows.map((row) => row.type).sort();
    expect(types).toEqual([
      'domain-name',
      'file',
      'indicator',
      'indicator',
      'indicator',
      'indicator',
      'ipv4-addr',
      'report',
      'url',
      'vulnerability',
    ]);

    const identity = identityIdForOrganisation(orgA.id);
    const amber = tlpMarkingFor(TlpLevel.Amber).id;
    const ip = await latest(ipId('198.51.100.7'));
    expect(ip).toMatchObject({
      type: 'indicator',
      createdByOrg: orgA.id,
      indicatorType: 'ipv4',
      indicatorValue: '198.51.100.7',
      tlp: 'amber',
      orgCount: 1,
      suppressed: false,
    });
    expect(ip.object).toMatchObject({
      id: ipId('198.51.100.7'),
      pattern: "[ipv4-addr:value = '198.51.100.7']",
      created_by_ref: identity,
      object_marking_refs: [amber],
      valid_until: ip.validUntil?.toISOString(),
    });
    // IP addresses live 30 days after they were last seen, hashes never expire.
    const days = (ip.validUntil!.getTime() - ip.lastSeen!.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);
    const hash = rows.find((row) => row.indicatorType === 'sha256' && row.type === 'indicator')!;
    expect(hash.validUntil).toBeNull();
    expect(rows.find((row) => row.indicatorValue === 'login-dgi.example' && row.type === 'indicator')).toMatchObject({
      confidence: 90,
      object: expect.objectContaining({ description: 'landing page', confidence: 90 }),
    });

    const vulnerability = await latest(vulnerabilityIdForCve('CVE-2021-44228'));
    expect(vulnerability.object).toMatchObject({ type: 'vulnerability', name: 'CVE-2021-44228' });

    const stixReport = await latest(`report--${id}`);
    expect(stixReport.object).toMatchObject({
      type: 'report',
      name: 'Phishing campaign impersonating the tax agency',
      created_by_ref: identity,
      labels: expect.arrayContaining(['rsit:fraud', 'rsit:fraud:phishing', 'severity:high', 'country:UY']),
    });
    expect((stixReport.object.object_refs as string[]).sort()).toEqual(
      rows
        .filter((row) => ['indicator', 'vulnerability'].includes(row.type))
        .map((row) => row.stixId)
        .sort(),
    );

    expect((await latest(identity)).object).toMatchObject({ name: 'CERT-A', identity_class: 'organization' });
    expect((await latest(identity)).object).not.toHaveProperty('x_vigia_country');
    const location = await latest(locationIdForCountry('UY'));
    expect(location.object).toMatchObject({ type: 'location', country: 'UY' });
    const locatedAt = await latest(relationshipIdFor(identity, 'located-at', locationIdForCountry('UY')));
    expect(locatedAt.object).toMatchObject({ relationship_type: 'located-at', source_ref: identity });
    expect(await context.dataSource.getRepository(StixObjectEntity).countBy({ type: 'marking-definition' })).toBe(5);

    const job = await warnings.getJob(warningsJobId(id));
    expect(job?.name).toBe(JobName.FanOutWarnings);
    expect((job?.data as FanOutWarningsPayload).indicatorIds).toHaveLength(5);
  });

  it('makes the same IP from a second organisation one indicator with a sighting, counting two organisations', async () => {
    const value = '203.0.113.45';
    const first = await submit(orgA.apiKey, reportBody({ indicators: [{ type: 'ipv4', value }] }));
    await settled(first);
    const second = await submit(
      orgB.apiKey,
      reportBody({
        tlp: 'green',
        indicators: [{ type: 'ipv4', value, first_seen: '2026-11-21T10:00:00Z', last_seen: '2026-11-23T09:00:00Z' }],
      }),
    );
    expect((await settled(second)).status).toBe(ReportStatus.Normalised);

    const versions = await versionsOf(ipId(value));
    expect(versions).toHaveLength(2);
    expect(versions.map((version) => version.isLatest)).toEqual([false, true]);
    const [v1, v2] = versions;
    expect(v2).toMatchObject({ createdByOrg: orgA.id, reportId: second, orgCount: 2, tlp: 'amber' });
    expect(v2.created).toEqual(v1.created);
    expect(v2.modified.getTime()).toBeGreaterThan(v1.modified.getTime());
    expect(v2.object).toMatchObject({ created_by_ref: identityIdForOrganisation(orgA.id), created: v1.object.created });
    expect(v2.firstSeen?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(v2.lastSeen?.toISOString()).toBe('2026-11-23T09:00:00.000Z');

    const sightings = await context.dataSource
      .getRepository(StixObjectEntity)
      .find({ where: { type: 'sighting', sightingOfRef: ipId(value) } });
    expect(sightings).toHaveLength(1);
    const identityB = identityIdForOrganisation(orgB.id);
    expect(sightings[0]).toMatchObject({ stixId: sightingIdFor(ipId(value), identityB), tlp: 'green', isLatest: true });
    expect(sightings[0].object).toMatchObject({
      created_by_ref: identityB,
      sighting_of_ref: ipId(value),
      where_sighted_refs: [identityB],
      first_seen: '2026-11-21T10:00:00.000Z',
      last_seen: '2026-11-23T09:00:00.000Z',
      count: 1,
      object_marking_refs: [tlpMarkingFor(TlpLevel.Green).id],
    });

    const [network] = await context.dataSource.query(
      `SELECT count(*)::int AS organisations, min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM indicator_correlations WHERE indicator_id = $1`,
      [ipId(value)],
    );
    expect(network).toEqual({
      organisations: 2,
      first_seen: new Date('2026-11-20T08:00:00Z'),
      last_seen: new Date('2026-11-23T09:00:00Z'),
    });
    const job = await warnings.getJob(warningsJobId(second));
    expect(job?.data).toEqual({ reportId: second, indicatorIds: [ipId(value)] });
  });

  it('makes the same organisation reporting again a new version, not a duplicate', async () => {
    const indicators = [
      { type: 'domain', value: 'again.bad.example' },
      { type: 'ipv4', value: '203.0.113.46' },
    ];
    const first = await submit(orgA.apiKey, reportBody({ indicators }));
    await settled(first);
    const before = await latest(domainId('again.bad.example'));
    const second = await submit(orgA.apiKey, reportBody({ indicators }));
    await settled(second);

    for (const stixId of [domainId('again.bad.example'), ipId('203.0.113.46')]) {
      const versions = await versionsOf(stixId);
      expect(versions).toHaveLength(2);
      expect(versions.filter((version) => version.isLatest)).toHaveLength(1);
      expect(versions[1]).toMatchObject({ orgCount: 1, reportId: second });
    }
    const after = await latest(domainId('again.bad.example'));
    expect(after.validUntil!.getTime()).toBeGreaterThanOrEqual(before.validUntil!.getTime());
    expect(after).toMatchObject({ tlp: 'amber', tlpRecipients: [], audienceKey: 'network' });
    const correlation = await context.dataSource
      .getRepository(IndicatorCorrelationEntity)
      .findOneByOrFail({ indicatorId: domainId('again.bad.example'), organisationId: orgA.id });
    expect(correlation).toMatchObject({ reportCount: 2, lastReportId: second });
    expect(
      await context.dataSource.getRepository(StixObjectEntity).countBy({ reportId: second, type: 'sighting' }),
    ).toBe(0);
  });

  it('keeps a restricted report in its own audience: the network object and its figures stay as they were', async () => {
    const indicators = [{ type: 'domain', value: 'audience.bad.example', confidence: 20 }];
    const shared = await submit(orgA.apiKey, reportBody({ tlp: 'green', indicators }));
    await settled(shared);
    const before = await latest(domainId('audience.bad.example'));
    const restricted = await submit(
      orgB.apiKey,
      reportBody({
        tlp: 'red',
        tlp_recipients: [orgA.id],
        indicators: [{ type: 'domain', value: 'audience.bad.example', confidence: 97 }],
      }),
    );
    await settled(restricted);

    // The network object has no new version: org count, seen times, validity and confidence are A's alone.
    expect(await versionsOf(domainId('audience.bad.example'))).toHaveLength(1);
    expect(await latest(domainId('audience.bad.example'))).toMatchObject({
      modified: before.modified,
      orgCount: 1,
      confidence: 20,
      audienceKey: 'network',
    });
    // B's statement lives in an object of its own audience (owner B, RED, recipients [A]).
    const [own] = await context.dataSource
      .getRepository(StixObjectEntity)
      .findBy({ reportId: restricted, type: 'indicator' });
    expect(own).toMatchObject({
      tlp: 'red',
      tlpRecipients: [orgA.id],
      audienceOwner: orgB.id,
      createdByOrg: orgB.id,
      confidence: 97,
      orgCount: 1,
    });
    expect(own!.stixId).not.toBe(domainId('audience.bad.example'));
    expect(
      await context.dataSource.getRepository(StixObjectEntity).countBy({ reportId: restricted, type: 'sighting' }),
    ).toBe(0);
  });

  it('stores warninglisted values suppressed, naming the list, and leaves them out of the warnings', async () => {
    const id = await submit(
      orgA.apiKey,
      reportBody({
        indicators: [
          { type: 'ipv4', value: '8.8.8.8' },
          { type: 'ipv4', value: '10.0.0.0/8' },
          { type: 'domain', value: 'login.microsoftonline.com' },
          { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
          { type: 'ipv4', value: '203.0.113.47' },
        ],
      }),
    );
    expect((await settled(id)).status).toBe(ReportStatus.Normalised);
    const rows = await context.dataSource.getRepository(StixObjectEntity).find({ where: { reportId: id } });
    const suppression = Object.fromEntries(
      rows.filter((row) => row.type === 'indicator').map((row) => [row.indicatorValue, row.suppressedBy]),
    );
    expect(suppression).toEqual({
      '8.8.8.8': 'public-dns-resolvers',
      '10.0.0.0/8': 'rfc1918',
      'login.microsoftonline.com': 'top-domains',
      d41d8cd98f00b204e9800998ecf8427e: 'empty-file-hashes',
      '203.0.113.47': null,
    });
    expect(rows.find((row) => row.indicatorValue === '8.8.8.8' && row.type === 'indicator')?.suppressed).toBe(true);
    const job = await warnings.getJob(warningsJobId(id));
    expect(job?.data).toEqual({ reportId: id, indicatorIds: [ipId('203.0.113.47')] });
  });

  it('fails a report after the configured attempts, with the reason, leaving nothing half-written', async () => {
    await context.dataSource.query(
      `ALTER TABLE stix_objects ADD CONSTRAINT refuse_for_test CHECK (indicator_value IS DISTINCT FROM 'refused.example')`,
    );
    try {
      const id = await submit(
        orgA.apiKey,
        reportBody({
          indicators: [
            { type: 'ipv4', value: '203.0.113.48' },
            { type: 'domain', value: 'refused.example' },
          ],
        }),
      );
      const report = await settled(id);
      expect(report.status).toBe(ReportStatus.Failed);
      expect(report.failureReason).toMatch(/refuse_for_test/);
      const status = await request(ingest.getHttpServer()).get(`/api/v1/reports/${id}`).set('X-Api-Key', orgA.apiKey);
      expect(status.body).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/refuse_for_test/) });

      // The report is marked failed before BullMQ records the job's failure.
      const job = await finishedJob(id);
      expect(job.attemptsMade).toBe(2);
      expect(await context.dataSource.getRepository(StixObjectEntity).countBy({ reportId: id })).toBe(0);
      expect(await context.dataSource.getRepository(StixObjectEntity).countBy({ stixId: ipId('203.0.113.48') })).toBe(
        0,
      );
      expect(await context.dataSource.getRepository(IndicatorCorrelationEntity).countBy({ lastReportId: id })).toBe(0);
    } finally {
      await context.dataSource.query(`ALTER TABLE stix_objects DROP CONSTRAINT refuse_for_test`);
    }
  });

  it('fails a job for a missing report at once, without retries', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    const queue = worker.get(JobQueueService);
    await queue.enqueue(JobName.NormaliseReport, { reportId: missing }, { jobId: missing });
    const job = await finishedJob(missing);
    expect(await job.isFailed()).toBe(true);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(`No report ${missing}`);
  });

  it('does nothing the second time a normalised report is processed, but queues its warnings again', async () => {
    const id = await submit(orgB.apiKey, reportBody({ indicators: [{ type: 'ipv4', value: '203.0.113.49' }] }));
    await settled(id);
    const count = async () => Number((await context.dataSource.query(`SELECT count(*) FROM stix_objects`))[0].count);
    const before = await count();
    await loseWarningsJob(id);

    const queue = worker.get(JobQueueService);
    await queue.enqueue(JobName.NormaliseReport, { reportId: id }, { jobId: `rerun-${id}` });
    const job = await finishedJob(`rerun-${id}`);
    expect(job.returnvalue).toMatchObject({ alreadyNormalised: true, alertable: 1 });
    expect(await count()).toBe(before);
    expect((await warnings.getJob(warningsJobId(id)))?.data).toEqual({
      reportId: id,
      indicatorIds: [ipId('203.0.113.49')],
    });
  });

  it('when BullMQ abandons a job: fails a report still received, queues the warnings of one already normalised', async () => {
    const handler = worker.get(NormaliseReportHandler);
    const normalised = await submit(orgB.apiKey, reportBody({ indicators: [{ type: 'ipv4', value: '203.0.113.77' }] }));
    await settled(normalised);
    await loseWarningsJob(normalised);
    await handler.normalisationAbandoned({ reportId: normalised }, 'the worker stopped 2 times');
    const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: normalised });
    expect(report.status).toBe(ReportStatus.Normalised);
    expect((await warnings.getJob(warningsJobId(normalised)))?.data).toEqual({
      reportId: normalised,
      indicatorIds: [ipId('203.0.113.77')],
    });

    const organisation = await createOrganisation(context.dataSource);
    const received = await storeReport(context.dataSource, organisation.id, [{ type: 'domain', value: 'x.example' }]);
    await handler.normalisationAbandoned({ reportId: received }, 'the worker stopped 2 times');
    expect(
      await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: received }),
    ).toMatchObject({
      status: ReportStatus.Failed,
      failureReason: 'normalisation did not finish: the worker stopped 2 times',
    });
  });

  it('keeps one indicator per value and exact counts when overlapping reports run concurrently', async () => {
    const shared = publicIndicators(400, 7);
    const organisations = [orgA.id, orgB.id, (await createOrganisation(context.dataSource)).id];
    const ids: string[] = [];
    for (const [index, organisationId] of [...organisations, ...organisations].entries()) {
      // Each report lists the shared values in its own order, plus values of its own.
      const own = publicIndicators(50, 100 + index);
      const shuffled = [...shared].sort(() => Math.random() - 0.5);
      ids.push(await storeReport(context.dataSource, organisationId, [...shuffled, ...own]));
    }
    const queue = worker.get(JobQueueService);
    await Promise.all(ids.map((id) => queue.enqueue(JobName.NormaliseReport, { reportId: id }, { jobId: id })));
    for (const id of ids) expect((await settled(id)).status).toBe(ReportStatus.Normalised);

    // The report commits before its job is acknowledged: wait for the jobs too before counting their attempts.
    const jobs = await Promise.all(ids.map(finishedJob));
    expect(jobs.map((job) => job.attemptsMade)).toEqual(ids.map(() => 1)); // no retry: no deadlock, no conflict
    const [counts] = await context.dataSource.query(
      `SELECT count(DISTINCT stix_id)::int AS indicators,
              count(*)::int AS versions,
              count(*) FILTER (WHERE is_latest)::int AS latest,
              min(org_count) FILTER (WHERE is_latest)::int AS min_orgs,
              max(org_count) FILTER (WHERE is_latest)::int AS max_orgs
         FROM stix_objects WHERE type = 'indicator' AND indicator_value = ANY($1)`,
      [shared.map((indicator) => indicator.value)],
    );
    expect(counts).toEqual({ indicators: 400, versions: 400 * 6, latest: 400, min_orgs: 3, max_orgs: 3 });
    const [correlations] = await context.dataSource.query(
      `SELECT count(*)::int AS rows, min(report_count)::int AS min, max(report_count)::int AS max
         FROM indicator_correlations c JOIN stix_objects s ON s.stix_id = c.indicator_id AND s.is_latest
        WHERE s.indicator_value = ANY($1)`,
      [shared.map((indicator) => indicator.value)],
    );
    expect(correlations).toEqual({ rows: 400 * 3, min: 2, max: 2 });
    // The two organisations that did not create an indicator each have one sighting of it, in two versions.
    const [sightings] = await context.dataSource.query(
      `SELECT count(DISTINCT stix_id)::int AS sightings, count(*)::int AS versions,
              min((object->>'count')::int) FILTER (WHERE is_latest)::int AS min_count,
              max((object->>'count')::int) FILTER (WHERE is_latest)::int AS max_count
         FROM stix_objects WHERE type = 'sighting' AND indicator_value = ANY($1)`,
      [shared.map((indicator) => indicator.value)],
    );
    expect(sightings).toEqual({ sightings: 400 * 2, versions: 400 * 4, min_count: 2, max_count: 2 });
  });
  it('lets two worker processes normalise overlapping reports at once without a deadlock or a lost count', async () => {
    // A second worker on the same queue and database: its jobs claim values beside this one's (no shared memory).
    const second = await bootWorkerApp(context.config);
    try {
      const pool = publicIndicators(600, 31);
      const organisations = [orgA.id, orgB.id, (await createOrganisation(context.dataSource)).id];
      const deadlocksBefore = await deadlocks();
      const ids: string[] = [];
      const reported = new Map<string, number>();
      let seed = 7;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let index = 0; index < 12; index += 1) {
        // Each report takes a random half of the pool, in a random order: every pair of reports overlaps.
        const values = pool.filter(() => next() < 0.5).sort(() => next() - 0.5);
        for (const value of values) reported.set(value.value, (reported.get(value.value) ?? 0) + 1);
        ids.push(await storeReport(context.dataSource, organisations[index % organisations.length], values));
      }
      const queue = worker.get(JobQueueService);
      await Promise.all(ids.map((id) => queue.enqueue(JobName.NormaliseReport, { reportId: id }, { jobId: id })));
      for (const id of ids) expect((await settled(id)).status).toBe(ReportStatus.Normalised);
      const jobs = await Promise.all(ids.map(finishedJob));
      expect(jobs.map((job) => job.attemptsMade)).toEqual(ids.map(() => 1));
      expect(await deadlocks()).toBe(deadlocksBefore);

      const versions = (await context.dataSource.query(
        `SELECT indicator_value AS value, count(*)::int AS versions, count(*) FILTER (WHERE is_latest)::int AS latest
           FROM stix_objects WHERE type = 'indicator' AND indicator_value = ANY($1) GROUP BY indicator_value`,
        [[...reported.keys()]],
      )) as { value: string; versions: number; latest: number }[];
      expect(new Map(versions.map((row) => [row.value, row.versions]))).toEqual(reported);
      expect(versions.every((row) => row.latest === 1)).toBe(true);
      const [claims] = await context.dataSource.query(`SELECT count(*)::int AS left FROM normalisation_claims`);
      expect(claims.left).toBe(0);
    } finally {
      await second.close();
    }
  });

  /** Deadlocks PostgreSQL has detected in this database (each backend reports its own when it next goes idle). */
  const deadlocks = async (): Promise<number> => {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await context.dataSource.query('SELECT pg_stat_clear_snapshot()');
    const [row] = await context.dataSource.query(
      `SELECT deadlocks::int AS count FROM pg_stat_database WHERE datname = current_database()`,
    );
    return row.count as number;
  };
});
