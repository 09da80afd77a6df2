import { NestExpressApplication } from '@nestjs/platform-express';
import { ReportStatus } from '@vigia/database';
import { JobName, JobQueueService } from '@vigia/queue';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { publicIndicators, storeReport } from '../../scripts/lib/stored-report.factory';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { bootWorkerApp } from '../support/worker-app';

describe('worker: platform endpoints', () => {
  let context: TestContext;
  let worker: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    worker = await bootWorkerApp(context.config);
  });

  afterAll(async () => {
    await worker?.close();
    await context?.cleanup();
  });

  it('GET /health answers 200 with database and Redis up', async () => {
    const response = await request(worker.getHttpServer()).get('/health').expect(200);
    expect(response.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('GET /metrics counts the jobs it ran and the indicators it normalised', async () => {
    const organisation = await createOrganisation(context.dataSource);
    const reportId = await storeReport(context.dataSource, organisation.id, [
      ...publicIndicators(10),
      { type: 'ipv4', value: '10.1.2.3' },
    ]);
    await worker.get(JobQueueService).enqueue(JobName.NormaliseReport, { reportId }, { jobId: reportId });
    await waitFor('the report to be normalised', async () => {
      const [row] = await context.dataSource.query(`SELECT status FROM incident_reports WHERE id = $1`, [reportId]);
      return row.status === ReportStatus.Normalised ? row : undefined;
    });
    // The counter moves once the job is acknowledged, just after the commit.
    const metrics = await waitFor('the job to be counted', async () => {
      const response = await request(worker.getHttpServer()).get('/metrics').expect(200);
      return /vigia_jobs_processed_total\{[^}]*job="normalise-report"[^}]*outcome="completed"[^}]*\} 1/.test(
        response.text,
      )
        ? response.text
        : undefined;
    });
    expect(metrics).toContain('app="worker"');
    expect(metrics).toMatch(/vigia_job_duration_seconds_count\{[^}]*job="normalise-report"[^}]*\} 1/);
    expect(metrics).toMatch(/vigia_indicators_normalised_total\{[^}]*outcome="created"[^}]*\} 11/);
    expect(metrics).toMatch(/vigia_indicators_suppressed_total\{[^}]*\} 1/);
  });
});
