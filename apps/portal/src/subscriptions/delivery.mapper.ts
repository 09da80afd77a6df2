import { AttemptRow, DeliveryRow } from '@vigia/database';
import { WEBHOOK_TEST_EVENT_TYPE } from '@vigia/webhooks';
import { DeliveryAttemptDto, DeliveryDto } from './dto/deliveries.dto';

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
  test: row.event_type === WEBHOOK_TEST_EVENT_TYPE,
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
