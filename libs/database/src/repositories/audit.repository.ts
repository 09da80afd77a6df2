import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEventRow, AuditFilter, NewAuditEvent } from '../entities/audit-event.rows';
import { SqlExecutor } from './sql-executor';

const AUDIT_COLUMNS = `id, occurred_at, organisation_id, actor_user_id, actor_api_key_id, actor_organisation_id, action,
  target_type, target_id, host(address) AS address, request_id, details`;

/**
 * Appends events in the caller's transaction (`executor` runs inside it), so an event exists exactly when the change
 * it records was committed. One statement for any number of events.
 */
export async function appendAuditEvents(executor: SqlExecutor, events: readonly NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await executor.query(
    `INSERT INTO audit_events (organisation_id, actor_user_id, actor_api_key_id, actor_organisation_id, action,
                               target_type, target_id, address, request_id, details)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                          $8::inet[], $9::text[], $10::jsonb[])`,
    [
      events.map((event) => event.organisationId),
      events.map((event) => event.actorUserId ?? null),
      events.map((event) => event.actorApiKeyId ?? null),
      events.map((event) => event.actorOrganisationId ?? null),
      events.map((event) => event.action),
      events.map((event) => event.targetType ?? null),
      events.map((event) => event.targetId ?? null),
      events.map((event) => event.address ?? null),
      events.map((event) => event.requestId ?? null),
      events.map((event) => JSON.stringify(event.details ?? {})),
    ],
  );
}

/** `audit_events`: the append-only audit log. Appended to (here or in another repository's transaction), paged, exported. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends events in a transaction of their own (all or none). */
  async append(...events: NewAuditEvent[]): Promise<void> {
    await appendAuditEvents(this.dataSource, events);
  }

  /** Events matching `filter`, newest first (id descending), with ids below `beforeId`; `limit` at most. */
  async page(filter: AuditFilter, beforeId: string | undefined, limit: number): Promise<AuditEventRow[]> {
    return (await this.dataSource.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events
        WHERE ($1::uuid IS NULL OR organisation_id = $1)
          AND ($2::text IS NULL OR starts_with(action, $2))
          AND ($3::uuid IS NULL OR actor_user_id = $3 OR actor_api_key_id = $3)
          AND ($4::timestamptz IS NULL OR occurred_at >= $4)
          AND ($5::timestamptz IS NULL OR occurred_at < $5)
          AND ($6::bigint IS NULL OR id < $6)
        ORDER BY id DESC
        LIMIT $7`,
      [
        filter.organisationId ?? null,
        filter.actionPrefix ?? null,
        filter.actorId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        beforeId ?? null,
        limit,
      ],
    )) as AuditEventRow[];
  }

  /**
   * Every event matching `filter`, newest first, in batches of `batchSize` read one after the other by keyset (so
   * memory stays flat whatever the total). Events appended after the first batch was read are not included.
   */
  async *exportBatches(filter: AuditFilter, batchSize: number): AsyncGenerator<AuditEventRow[]> {
    let beforeId: string | undefined;
    for (;;) {
      const batch = await this.page(filter, beforeId, batchSize);
      const last = batch[batch.length - 1];
      if (last) yield batch;
      if (!last || batch.length < batchSize) return;
      beforeId = last.id;
    }
  }
}
