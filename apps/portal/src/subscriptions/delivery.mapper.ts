import { WebhookDeliveryStatus } from '@vigia/database';
import { DeliveryAttemptDto, DeliveryDto } from './dto/deliveries.dto';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  warning_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
  dead_at: Date | null;
  /** created_at to the microsecond, for page cursors. */
  created_at_exact: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  attempted_at: Date;
}

const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;

const toAttemptDto = (row: AttemptRow): DeliveryAttemptDto => ({
  attempt: row.attempt,
  status_code: row.status_code,
  latency_ms: row.latency_ms,
  error: row.error,
  attempted_at: row.attempted_at.toISOString(),
});

export const toDeliveryDto = (row: DeliveryRow, attempts: AttemptRow[]): DeliveryDto => ({
  id: row.id,
  endpoint_id: row.endpoint_id,
  warning_id: row.warning_id,
  event_type: row.event_type,
  status: row.status,
  attempt_count: row.attempts,
  last_status_code: row.last_status_code,
  last_error: row.last_error,
  next_attempt_at: isoOrNull(row.next_attempt_at),
  created_at: row.created_at.toISOString(),
  delivered_at: isoOrNull(row.delivered_at),
  dead_at: isoOrNull(row.dead_at),
  attempts: attempts.map(toAttemptDto),
});
