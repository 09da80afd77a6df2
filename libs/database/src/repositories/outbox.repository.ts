import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxJob, OutboxJobKey } from '../entities/outbox-job.entity';
import { SqlExecutor } from './sql-executor';

/** The outbox's one insert: jobs are recorded once per (queue, job id), whoever records them again. */
const INSERT_JOBS = `
  INSERT INTO outbox_jobs (queue_name, job_name, job_id, payload)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
  ON CONFLICT (queue_name, job_id) DO NOTHING`;

// Marks jobs relayed; a normalisation job also stamps its report's `enqueued_at` (its status shows it as queued).
const MARK_RELAYED = `
  WITH relayed AS (
    UPDATE outbox_jobs o SET relayed_at = now()
      FROM unnest($1::text[], $2::text[]) AS k(queue_name, job_id)
     WHERE o.queue_name = k.queue_name AND o.job_id = k.job_id
     RETURNING o.job_name, o.job_id
  )
  UPDATE incident_reports r SET enqueued_at = now()
    FROM relayed
   WHERE relayed.job_name = 'normalise-report' AND r.id = relayed.job_id::uuid AND r.enqueued_at IS NULL`;

const jobColumns = (jobs: readonly OutboxJob[]): unknown[] => [
  jobs.map((job) => job.queue),
  jobs.map((job) => job.name),
  jobs.map((job) => job.jobId),
  jobs.map((job) => JSON.stringify(job.payload)),
];

const keyColumns = (keys: readonly OutboxJobKey[]): unknown[] => [
  keys.map((key) => key.queue),
  keys.map((key) => key.jobId),
];

/**
 * Records jobs in the caller's transaction (`executor` runs inside it), so they exist exactly when what they work on
 * was committed. For repositories whose writes start jobs.
 */
export async function recordOutboxJobs(executor: SqlExecutor, jobs: readonly OutboxJob[]): Promise<void> {
  if (jobs.length > 0) await executor.query(INSERT_JOBS, jobColumns(jobs));
}

interface OutboxRecord {
  queue_name: string;
  job_name: string;
  job_id: string;
  payload: object;
}

/** `outbox_jobs`: what the relay hands to BullMQ, and what the worker settles once a job has finished. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(jobs: readonly OutboxJob[]): Promise<void> {
    await recordOutboxJobs(this.dataSource, jobs);
  }

  /** Notes that these jobs reached BullMQ. */
  async markRelayed(keys: readonly OutboxJobKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(MARK_RELAYED, keyColumns(keys));
  }

  /** Forgets finished jobs: they are never relayed again. */
  async settle(keys: readonly OutboxJobKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM outbox_jobs o USING unnest($1::text[], $2::text[]) AS k(queue_name, job_id)
        WHERE o.queue_name = k.queue_name AND o.job_id = k.job_id`,
      keyColumns(keys),
    );
  }

  /** Redis lost its data: every job not yet finished must be relayed again. Returns how many. */
  async unmarkRelayed(): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `UPDATE outbox_jobs SET relayed_at = NULL WHERE relayed_at IS NOT NULL`,
    )) as [unknown, number];
    return count;
  }

  /**
   * Hands up to `limit` jobs waiting for relay (recorded at least `minAgeMs` ago, so the producer's own immediate
   * relay goes first) to `relay`, and marks them relayed once it returns, in one transaction whose row locks keep
   * other relays off them. Returns how many were relayed; `relay` throwing leaves them waiting.
   */
  async relayWaiting(limit: number, minAgeMs: number, relay: (jobs: OutboxJob[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const records = (await manager.query(
        `SELECT queue_name, job_name, job_id, payload FROM outbox_jobs
          WHERE relayed_at IS NULL AND created_at < now() - $2 * interval '1 millisecond'
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, minAgeMs],
      )) as OutboxRecord[];
      if (records.length === 0) return 0;
      const jobs = records.map((record): OutboxJob => ({
        queue: record.queue_name,
        name: record.job_name,
        jobId: record.job_id,
        payload: record.payload,
      }));
      await relay(jobs);
      await manager.query(MARK_RELAYED, keyColumns(jobs));
      return jobs.length;
    });
  }
}
