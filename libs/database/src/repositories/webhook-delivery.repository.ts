import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import {
  AttemptRecord,
  AttemptRow,
  DeliveryHealthRow,
  DeliveryRow,
  DeliveryToSend,
  NewDelivery,
  ScheduledDelivery,
} from '../entities/webhook-delivery.rows';
import { OutboxJob } from '../entities/outbox-job.entity';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { appendAuditEvents } from './audit.repository';
import { QueuedMail } from '../entities/mail.rows';
import { appendMails } from './mail.repository';
import { recordOutboxJobs } from './outbox.repository';
import { SqlExecutor, changedCount } from './sql-executor';
import { SecretSealer } from '../secret-sealer';

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.warning_id, d.event_type, d.status, d.attempts, d.last_status_code,
  d.last_error, d.next_attempt_at, d.created_at, d.delivered_at, d.dead_at,
  to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact`;

/** Keyset position of a page's last row: created_at to the microsecond, and id. */
export interface DeliveryCursor {
  createdAt: string;
  id: string;
}

interface SendableRecord {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  payload: object;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  disabled: boolean;
  recipient_active: boolean;
}

/** Why a delivery to a suspended organisation was dead-lettered (its owner may replay it once reinstated). */
export const RECIPIENT_SUSPENDED = 'organisation suspended';

/**
 * Dead-letters every delivery still to be sent to the organisation, in the caller's transaction (its suspension):
 * nothing is sent to a suspended member, and a held warning would arrive stale. Answers how many.
 */
export async function deadLetterOpenDeliveriesOf(executor: SqlExecutor, organisationId: string): Promise<number> {
  const result = await executor.query(
    `UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), next_attempt_at = NULL, last_error = $2
      WHERE organisation_id = $1 AND status IN ('pending', 'failed')`,
    [organisationId, RECIPIENT_SUSPENDED],
  );
  return changedCount(result);
}

/** `webhook_deliveries` and their attempts: scheduled by the fan-out, sent by the worker, listed and replayed by owners. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * One row per (warning, endpoint) in one statement, and the jobs `jobsFor` names for them, in one transaction.
   * Idempotent per (warning id, endpoint): the same warning again inserts nothing new and answers the existing rows.
   * Endpoints that are disabled, deleted or not the recipient's, and recipients not active, are skipped. Mails about
   * the same warnings (`mails`, fixed ids: queued once) are queued in the same transaction. Answers the jobs recorded.
   */
  async schedule(
    deliveries: readonly NewDelivery[],
    jobsFor: (scheduled: ScheduledDelivery[]) => OutboxJob[],
    mails: readonly QueuedMail[] = [],
  ): Promise<OutboxJob[]> {
    if (deliveries.length === 0 && mails.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      await appendMails(manager, mails);
      if (deliveries.length === 0) return mails.map((queued) => queued.job);
      const scheduled = (await manager.query(
        `INSERT INTO webhook_deliveries
                (endpoint_id, subscription_id, organisation_id, warning_id, event_type, payload, next_attempt_at)
         SELECT e.id, e.subscription_id, e.organisation_id, u.warning_id, u.event_type, u.payload, now()
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[])
                AS u(endpoint_id, organisation_id, warning_id, event_type, payload)
           JOIN webhook_endpoints e
             ON e.id = u.endpoint_id AND e.organisation_id = u.organisation_id AND e.disabled_at IS NULL
           JOIN organisations o ON o.id = e.organisation_id AND o.status = 'active'
         ON CONFLICT (warning_id, endpoint_id) DO UPDATE SET warning_id = EXCLUDED.warning_id
         RETURNING id, status, replays`,
        [
          deliveries.map((delivery) => delivery.endpointId),
          deliveries.map((delivery) => delivery.organisationId),
          deliveries.map((delivery) => delivery.warningId),
          deliveries.map((delivery) => delivery.eventType),
          deliveries.map((delivery) => JSON.stringify(delivery.payload)),
        ],
      )) as ScheduledDelivery[];
      const jobs = jobsFor(scheduled);
      await recordOutboxJobs(manager, jobs);
      return [...jobs, ...mails.map((queued) => queued.job)];
    });
  }

  /**
   * One delivery of `delivery` (a test event) to the owner's endpoint of the subscription, its job (`jobFor` names it)
   * and `audit`, in one transaction; it then goes the way of every delivery (worker, retries, log). Undefined (and no
   * event) when the endpoint is not the owner's in that subscription, is disabled, or the owner is not active.
   */
  async scheduleOne(
    subscriptionId: string,
    delivery: NewDelivery,
    jobFor: (deliveryId: string) => OutboxJob,
    audit: NewAuditEvent,
  ): Promise<{ delivery: DeliveryRow; job: OutboxJob } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [scheduled] = (await manager.query(
        `WITH d AS (
           INSERT INTO webhook_deliveries
                  (endpoint_id, subscription_id, organisation_id, warning_id, event_type, payload, next_attempt_at)
           SELECT e.id, e.subscription_id, e.organisation_id, $4, $5, $6::jsonb, now()
             FROM webhook_endpoints e
             JOIN organisations o ON o.id = e.organisation_id AND o.status = 'active'
            WHERE e.id = $1 AND e.subscription_id = $2 AND e.organisation_id = $3 AND e.disabled_at IS NULL
           RETURNING *
         )
         SELECT ${DELIVERY_COLUMNS} FROM d`,
        [
          delivery.endpointId,
          subscriptionId,
          delivery.organisationId,
          delivery.warningId,
          delivery.eventType,
          JSON.stringify(delivery.payload),
        ],
      )) as DeliveryRow[];
      if (!scheduled) return undefined;
      const job = jobFor(scheduled.id);
      await recordOutboxJobs(manager, [job]);
      await appendAuditEvents(manager, [audit]);
      return { delivery: scheduled, job };
    });
  }

  async findToSend(deliveryId: string): Promise<DeliveryToSend | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT d.id, d.status, d.attempts, d.payload, e.id AS endpoint_id, e.url, e.secret,
              CASE WHEN e.previous_secret_valid_until > now() THEN e.previous_secret END AS previous_secret,
              e.disabled_at IS NOT NULL AS disabled, o.status = 'active' AS recipient_active
         FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         JOIN organisations o ON o.id = d.organisation_id
        WHERE d.id = $1`,
      [deliveryId],
    )) as SendableRecord[];
    if (!row) return undefined;
    return {
      id: row.id,
      status: row.status,
      attempts: row.attempts,
      payload: row.payload,
      endpointId: row.endpoint_id,
      url: row.url,
      secrets: (row.previous_secret ? [row.secret, row.previous_secret] : [row.secret]).map((sealed) =>
        this.sealer.open(sealed),
      ),
      endpointDisabled: row.disabled,
      recipientActive: row.recipient_active,
    };
  }

  /**
   * Records the attempt and moves the delivery on, unless someone else moved it first (its owner replayed it while
   * this attempt was in flight): then only the attempt is recorded and false is returned.
   */
  async recordAttempt(record: AttemptRecord): Promise<boolean> {
    const [{ updated }] = (await this.dataSource.query(
      `WITH updated AS (
         UPDATE webhook_deliveries
            SET status = $3::webhook_delivery_status, attempts = $2, last_status_code = $4, last_error = $5,
                next_attempt_at = $7,
                delivered_at = CASE WHEN $3::webhook_delivery_status = 'delivered' THEN now() END,
                dead_at = CASE WHEN $3::webhook_delivery_status = 'dead' THEN now() END
          WHERE id = $1 AND attempts = $2 - 1 AND status IN ('pending', 'failed')
          RETURNING id
       ), attempt AS (
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, latency_ms, error)
         VALUES ($1, $2, $4, $6, $5)
       )
       SELECT count(*)::int AS updated FROM updated`,
      [
        record.deliveryId,
        record.attempt,
        record.status,
        record.statusCode,
        record.error,
        record.latencyMs,
        record.nextAttemptAt,
      ],
    )) as { updated: number }[];
    return updated === 1;
  }

  /** Dead-letters a delivery that will not be attempted (its endpoint is disabled). */
  async markDead(deliveryId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), next_attempt_at = NULL, last_error = $2
        WHERE id = $1 AND status IN ('pending', 'failed')`,
      [deliveryId, reason],
    );
  }

  /**
   * Dead-letters a delivery whose job BullMQ gave up, if it is still open in that job's run: one delivered, already
   * dead or replayed since (a newer run, with a job of its own) is left alone. True if it was dead-lettered.
   */
  async markRunDead(deliveryId: string, replay: number, reason: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), next_attempt_at = NULL, last_error = $3
        WHERE id = $1 AND replays = $2 AND status IN ('pending', 'failed')`,
      [deliveryId, replay, reason],
    );
    return changedCount(result) === 1;
  }

  /** Disables an endpoint and dead-letters everything still scheduled for it. */
  async disableEndpoint(endpointId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `WITH endpoint AS (
         UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = $2, updated_at = now()
          WHERE id = $1 AND disabled_at IS NULL
       )
       UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), next_attempt_at = NULL,
              last_error = 'endpoint disabled'
        WHERE endpoint_id = $1 AND status IN ('pending', 'failed')`,
      [endpointId, reason],
    );
  }

  /** A subscription's deliveries, newest first, after `cursor`; `limit` rows at most. */
  async listPage(
    subscriptionId: string,
    status: WebhookDeliveryStatus | undefined,
    cursor: DeliveryCursor | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return (await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
        WHERE d.subscription_id = $1
          AND ($2::webhook_delivery_status IS NULL OR d.status = $2)
          AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $5`,
      [subscriptionId, status ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    )) as DeliveryRow[];
  }

  /** Every attempt of these deliveries, by delivery, in the order made. */
  async attemptsOf(deliveryIds: string[]): Promise<Map<string, AttemptRow[]>> {
    const byDelivery = new Map<string, AttemptRow[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const rows = (await this.dataSource.query(
      `SELECT delivery_id, attempt, status_code, latency_ms, error, attempted_at FROM webhook_delivery_attempts
        WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempted_at, id`,
      [deliveryIds],
    )) as AttemptRow[];
    for (const row of rows) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
    return byDelivery;
  }

  /**
   * Sends a dead or failed delivery of the owner again from its first attempt: the row goes back to pending with its
   * attempts reset and its replay number incremented, and the job `jobFor(replays)` names is recorded, in one
   * transaction with `audit`; the previous run's job is forgotten. Undefined (and no event) when it is not replayable
   * (see `whyNotReplayable`).
   */
  async replay(
    organisationId: string,
    subscriptionId: string,
    deliveryId: string,
    jobFor: (replays: number) => OutboxJob,
    audit: NewAuditEvent,
  ): Promise<{ delivery: DeliveryRow & { replays: number }; job: OutboxJob } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE webhook_deliveries d
            SET status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = now(),
                last_status_code = NULL, last_error = NULL, dead_at = NULL
          WHERE d.id = $1 AND d.subscription_id = $2 AND d.organisation_id = $3 AND d.status IN ('dead', 'failed')
            AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
          RETURNING ${DELIVERY_COLUMNS}, d.replays`,
        [deliveryId, subscriptionId, organisationId],
      )) as [(DeliveryRow & { replays: number })[], number];
      const [replayed] = rows;
      if (!replayed) return undefined;
      const job = jobFor(replayed.replays);
      const previous = jobFor(replayed.replays - 1);
      await manager.query(`DELETE FROM outbox_jobs WHERE queue_name = $1 AND job_id = $2`, [
        previous.queue,
        previous.jobId,
      ]);
      await recordOutboxJobs(manager, [job]);
      await appendAuditEvents(manager, [audit]);
      return { delivery: replayed, job };
    });
  }

  /** Why the owner's delivery cannot be replayed: undefined when it does not exist (for the owner). */
  async replayBlocker(
    organisationId: string,
    subscriptionId: string,
    deliveryId: string,
  ): Promise<{ status: WebhookDeliveryStatus; endpointDisabled: boolean } | undefined> {
    const [found] = (await this.dataSource.query(
      `SELECT d.status, e.disabled_at IS NOT NULL AS endpoint_disabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.subscription_id = $2 AND d.organisation_id = $3`,
      [deliveryId, subscriptionId, organisationId],
    )) as { status: WebhookDeliveryStatus; endpoint_disabled: boolean }[];
    return found && { status: found.status, endpointDisabled: found.endpoint_disabled };
  }

  /**
   * Per organisation, its webhook deliveries created since `since` and how they went, with the latency of every
   * attempt made since then: counts and times only, for the coordinator's network health.
   */
  async healthByOrganisation(since: Date): Promise<DeliveryHealthRow[]> {
    const rows = (await this.dataSource.query(
      `WITH deliveries AS (
         SELECT d.organisation_id, count(*)::int AS deliveries,
                count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE d.status = 'dead')::int AS dead,
                count(*) FILTER (WHERE d.status IN ('pending', 'failed'))::int AS open
           FROM webhook_deliveries d
          WHERE d.created_at >= $1
          GROUP BY d.organisation_id
       ), attempts AS (
         SELECT d.organisation_id, count(*)::int AS attempts,
                count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299)::int AS successful,
                round(avg(a.latency_ms))::int AS average_latency,
                round(percentile_cont(0.95) WITHIN GROUP (ORDER BY a.latency_ms))::int AS p95_latency
           FROM webhook_delivery_attempts a
           JOIN webhook_deliveries d ON d.id = a.delivery_id
          WHERE a.attempted_at >= $1
          GROUP BY d.organisation_id
       )
       SELECT o.id, o.name, COALESCE(x.deliveries, 0) AS deliveries, COALESCE(x.delivered, 0) AS delivered,
              COALESCE(x.dead, 0) AS dead, COALESCE(x.open, 0) AS open, COALESCE(a.attempts, 0) AS attempts,
              COALESCE(a.successful, 0) AS successful, a.average_latency, a.p95_latency
         FROM organisations o
         LEFT JOIN deliveries x ON x.organisation_id = o.id
         LEFT JOIN attempts a ON a.organisation_id = o.id
        WHERE x.organisation_id IS NOT NULL OR a.organisation_id IS NOT NULL
        ORDER BY o.name`,
      [since],
    )) as {
      id: string;
      name: string;
      deliveries: number;
      delivered: number;
      dead: number;
      open: number;
      attempts: number;
      successful: number;
      average_latency: number | null;
      p95_latency: number | null;
    }[];
    return rows.map((row) => ({
      organisationId: row.id,
      organisationName: row.name,
      deliveries: row.deliveries,
      delivered: row.delivered,
      dead: row.dead,
      open: row.open,
      attempts: row.attempts,
      successfulAttempts: row.successful,
      averageLatencyMs: row.average_latency,
      p95LatencyMs: row.p95_latency,
    }));
  }
}
