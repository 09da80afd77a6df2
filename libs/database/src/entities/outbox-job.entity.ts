import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job that must run because a transaction committed, written in that same transaction: the relay hands it to
 * BullMQ (job id = `job_id`, so relaying twice makes one job) and the worker deletes it once the job has finished.
 * Until then it is relayed again whenever Redis loses its data.
 */
@Entity({ name: 'outbox_jobs' })
@Index('IDX_outbox_jobs_waiting', ['createdAt'], { where: 'relayed_at IS NULL' })
export class OutboxJobEntity {
  @PrimaryColumn({ name: 'queue_name', type: 'text' })
  queueName: string;

  /** BullMQ's job id: unique within its queue. */
  @PrimaryColumn({ name: 'job_id', type: 'text' })
  jobId: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: object;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When the job last reached BullMQ; null while it waits for (or again needs) relaying. */
  @Column({ name: 'relayed_at', type: 'timestamptz', nullable: true })
  relayedAt: Date | null;
}

/** A job to record in the outbox: which queue, which job, its fixed id and its payload. */
export interface OutboxJob {
  queue: string;
  name: string;
  jobId: string;
  payload: object;
}

/** Names one outbox job (a job id is unique within its queue). */
export type OutboxJobKey = Pick<OutboxJob, 'queue' | 'jobId'>;
