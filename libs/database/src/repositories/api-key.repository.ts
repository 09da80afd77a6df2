import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { appendAuditEvents } from './audit.repository';
import { changedCount } from './sql-executor';

/** `last_used_at` is refreshed at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

/** A live API key with its organisation. */
export interface ApiKeyHolder {
  keyId: string;
  /** The key's first characters, shown to its owner (a TAXII client may send it as the Basic user name). */
  prefix: string;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  organisationStatus: OrganisationStatus;
  scopes: string[];
}

/** An API key to store: only the digest of its secret. */
export interface NewApiKey {
  organisationId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  expiresAt: Date | null;
}

interface HolderRecord {
  key_id: string;
  prefix: string;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  organisation_status: OrganisationStatus;
  scopes: string[];
}

/** `api_keys`: machine clients' keys, stored as SHA-256 digests. */
@Injectable()
export class ApiKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The live (not revoked, not expired) key with this digest and its organisation, in one statement that also
   * touches `last_used_at` when it is stale.
   */
  async findLiveByHash(keyHash: string): Promise<ApiKeyHolder | undefined> {
    const rows = (await this.dataSource.query(
      `WITH found AS (
         SELECT k.id AS key_id, k.prefix, k.scopes, o.id AS organisation_id, o.name AS organisation_name,
                o.kind AS organisation_kind, o.status AS organisation_status,
                (k.last_used_at IS NULL OR k.last_used_at < now() - ${LAST_USED_RESOLUTION}) AS stale
           FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       ), touched AS (
         UPDATE api_keys SET last_used_at = now() WHERE id IN (SELECT key_id FROM found WHERE stale)
       )
       SELECT key_id, prefix, scopes, organisation_id, organisation_name, organisation_kind, organisation_status FROM found`,
      [keyHash],
    )) as HolderRecord[];
    const row = rows[0];
    return (
      row && {
        keyId: row.key_id,
        prefix: row.prefix,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        organisationKind: row.organisation_kind,
        organisationStatus: row.organisation_status,
        scopes: row.scopes,
      }
    );
  }

  /** Stores the key and appends the audit event `auditOf` makes of it, in one transaction. */
  async create(key: NewApiKey, auditOf: (created: ApiKeyEntity) => NewAuditEvent): Promise<ApiKeyEntity> {
    return this.dataSource.transaction(async (manager) => {
      const created = await manager.save(manager.create(ApiKeyEntity, key));
      await appendAuditEvents(manager, [auditOf(created)]);
      return created;
    });
  }

  /** The organisation's keys, revoked and expired ones too, newest first. */
  async listOwned(organisationId: string): Promise<ApiKeyEntity[]> {
    return this.dataSource.manager.find(ApiKeyEntity, {
      where: { organisationId },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  /**
   * Revokes the organisation's key now and appends the audit event `auditOf` makes of it, in one transaction; a
   * revoked key stays revoked as it was (and no event is appended). Null when it has no such key.
   */
  async revokeOwned(
    organisationId: string,
    keyId: string,
    auditOf: (revoked: ApiKeyEntity) => NewAuditEvent,
  ): Promise<ApiKeyEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.query(
        `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND organisation_id = $2 AND revoked_at IS NULL`,
        [keyId, organisationId],
      );
      const key = await manager.findOne(ApiKeyEntity, { where: { id: keyId, organisationId } });
      if (key && changedCount(result) > 0) await appendAuditEvents(manager, [auditOf(key)]);
      return key;
    });
  }
}
