import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WebhookDeliveryStatus } from '@vigia/database';
import { DataSource } from 'typeorm';

/** A delivery as the handler needs it: its body, where to send it and with which secrets. */
export interface DeliveryToSend {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  payload: object;
  endpointId: string;
  url: string;
  /** The current secret, then the previous one while its grace period lasts. */
  secrets: string[];
  endpointDisabled: boolean;
}

/** The state an attempt leaves its delivery in. */
export interface AttemptRecord {
  deliveryId: string;
  /** 1-based number of this attempt. */
  attempt: number;
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  nextAttemptAt: Date | null;
}

interface DeliveryRow {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  payload: object;
  endpoint_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  disabled: boolean;
}

/** The webhook handler's reads and writes, each one statement. */
@Injectable()
export class DeliveryStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(deliveryId: string): Promise<DeliveryToSend | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT d.id, d.status, d.attempts, d.payload, e.id AS endpoint_id, e.url, e.secret,
              CASE WHEN e.previous_secret_valid_until > now() THEN e.previous_secret END AS previous_secret,
              e.disabled_at IS NOT NULL AS disabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1`,
      [deliveryId],
    )) as DeliveryRow[];
    if (!row) return undefined;
    return {
      id: row.id,
      status: row.status,
      attempts: row.attempts,
      payload: row.payload,
      endpointId: row.endpoint_id,
      url: row.url,
      secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
      endpointDisabled: row.disabled,
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
    const [, updated] = (await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), next_attempt_at = NULL, last_error = $3
        WHERE id = $1 AND replays = $2 AND status IN ('pending', 'failed')`,
      [deliveryId, replay, reason],
    )) as [unknown[], number];
    return updated === 1;
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
}
