import { AuditEventRow } from '@vigia/database';
import { AuditEventDto } from './dto/audit.dto';

export const toAuditEventDto = (row: AuditEventRow): AuditEventDto => ({
  id: row.id,
  occurred_at: row.occurred_at.toISOString(),
  organisation_id: row.organisation_id,
  actor_user_id: row.actor_user_id,
  actor_api_key_id: row.actor_api_key_id,
  actor_organisation_id: row.actor_organisation_id,
  action: row.action,
  target_type: row.target_type,
  target_id: row.target_id,
  address: row.address,
  request_id: row.request_id,
  details: row.details,
});
