import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxJob, OutboxJobKey } from '../entities/outbox-job.entity';
import { SqlExecutor } from './sql-executor';

/**
 * The outbox's one insert, its four array parameters from `$first` on (`outboxJobParameters`). A job is recorded once
 * per (queue, job id), whoever records it again. It is recorded as relayed: its producer queues it right after the
 * commit and calls `markWaiting` only when that fails, so the common path writes the row once.
 */
export const insertOutboxJobsSql = (first: number): string => `
  INSERT INTO outbox_jobs (queue_name, job_name, job_id, payload, relayed_at)
  SELECT q, n, j, p, now() FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[],
         $${first + 3}::jsonb[]) AS jobs(q, n, j, p)
  ON CONFLICT (queue_name, job_id) DO NOTHING`;

export const outboxJobParameters = (jobs: readonly OutboxJob[]): unknown[] => [
  jobs.map((job) => job.queue),
  jobs.map((job) => job.name),
  jobs.map((job) => job.jobId),
  jobs.map((job) => JSON.stringify(job.payload)),
];

/**
 * Sets `relayed_at` of these jobs ($1 queues, $2 job ids) to `value`; a normalisation job's report gets the same
 * `enqueued_at`, which its status shows as `queued`.
 */
const setRelayedSql = (value: 'now()' | 'NULL'): string => `
  WITH changed AS (
    UPDATE outbox_jobs o SET relayed_at = ${value}
      FROM unnest($1::text[], $2::text[]) AS k(queue_name, job_id)
     WHERE o.queue_name = k.queue_name AND o.job_id = k.job_id
     RETURNING o.job_name, o.job_id
  )
  UPDATE incident_reports r SET enqueued_at = ${value}
    FROM changed
   WHERE changed.job_name = 'normalise-report' AND r.id = changed.job_id::uuid`;

const keyColumns = (keys: readonly OutboxJobKey[]): unknown[] => [
  keys.map((key) => key.queue),
  keys.map((key) => key.jobId),
];

/**
 * Records jobs in the caller's transaction (`executor` runs inside it), so they exist exactly when what they work on
 * was committed. For repositories whose writes start jobs.
 */
export async function recordOutboxJobs(executor: SqlExecutor, jobs: readonly OutboxJob[]): Promise<void> {
  if (jobs.length > 0) await executor.query(insertOutboxJobsSql(1), outboxJobParameters(jobs));
}

interface OutboxRecord {
  queue_name: string;
  job_name: string;
  job_id: string;
  payload: object;
}

const toOutboxJob = (record: OutboxRecord): OutboxJob => ({
  queue: record.queue_name,
  name: record.job_name,
  jobId: record.job_id,
  payload: record.payload,
});

const SETTLE_SQL = `DELETE FROM outbox_jobs o USING unnest($1::text[], $2::text[]) AS k(queue_name, job_id)
  WHERE o.queue_name = k.queue_name AND o.job_id = k.job_id`;

/** `outbox_jobs`: what the relay hands to BullMQ, and what the worker settles once a job has finished. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** These jobs did not reach BullMQ after their commit: the relay is to queue them. */
  async markWaiting(keys: readonly OutboxJobKey[]): Promise<void> {
    if (keys.length > 0) await this.dataSource.query(setRelayedSql('NULL'), keyColumns(keys));
  }

  /** Forgets finished jobs: they are never relayed again. */
  async settle(keys: readonly OutboxJobKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.query(SETTLE_SQL, keyColumns(keys));
  }

  /** Redis lost its data: every job not yet finished must be relayed again. Returns how many. */
  async markAllWaiting(): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `UPDATE outbox_jobs SET relayed_at = NULL WHERE relayed_at IS NOT NULL`,
    )) as [unknown, number];
    return count;
  }

  /**
   * Hands up to `limit` waiting jobs (recorded at least `minAgeMs` ago, so their producer's own relay goes first)
   * to `relay`, and marks them relayed once it returns. Returns how many; `relay` throwing leaves them waiting.
   */
  relayWaiting(limit: number, minAgeMs: number, relay: (jobs: OutboxJob[]) => Promise<void>): Promise<number> {
    return this.claim(
      `relayed_at IS NULL AND created_at < now() - $2 * interval '1 millisecond'`,
      'created_at',
      [limit, minAgeMs],
      relay,
    );
  }

  /**
   * Hands up to `limit` jobs relayed more than `olderThanMs` ago and not finished yet, longest first, to `audit`
   * (which queues those missing from BullMQ and answers those BullMQ holds finished), then settles the finished ones
   * and counts the others as relayed now, so the next audit moves on. This catches a producer that died between its
   * commit and its relay, and a worker that died between finishing a job and settling it.
   */
  auditRelayed(
    limit: number,
    olderThanMs: number,
    audit: (jobs: OutboxJob[]) => Promise<readonly OutboxJobKey[]>,
  ): Promise<number> {
    return this.claim(`relayed_at < now() - $2 * interval '1 millisecond'`, 'relayed_at', [limit, olderThanMs], audit);
  }

  /**
   * Up to $1 jobs matching `condition`, in `order`, handed to `work` and then marked relayed now (those `work`
   * answers finished: settled), in one transaction whose row locks (SKIP LOCKED) keep other relays off them.
   */
  private claim(
    condition: string,
    order: 'created_at' | 'relayed_at',
    parameters: unknown[],
    work: (jobs: OutboxJob[]) => Promise<readonly OutboxJobKey[] | void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const records = (await manager.query(
        `SELECT queue_name, job_name, job_id, payload FROM outbox_jobs
          WHERE ${condition} ORDER BY ${order} LIMIT $1 FOR UPDATE SKIP LOCKED`,
        parameters,
      )) as OutboxRecord[];
      if (records.length === 0) return 0;
      const jobs = records.map(toOutboxJob);
      const finished = (await work(jobs)) ?? [];
      if (finished.length > 0) await manager.query(SETTLE_SQL, keyColumns(finished));
      await manager.query(setRelayedSql('now()'), keyColumns(jobs));
      return jobs.length;
    });
  }
}
