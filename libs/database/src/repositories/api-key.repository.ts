import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';

/** `last_used_at` is refreshed at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

/** A live API key with its organisation. */
export interface ApiKeyHolder {
  keyId: string;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  organisationStatus: OrganisationStatus;
  scopes: string[];
}

interface HolderRecord {
  key_id: string;
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
         SELECT k.id AS key_id, k.scopes, o.id AS organisation_id, o.name AS organisation_name,
                o.kind AS organisation_kind, o.status AS organisation_status,
                (k.last_used_at IS NULL OR k.last_used_at < now() - ${LAST_USED_RESOLUTION}) AS stale
           FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       ), touched AS (
         UPDATE api_keys SET last_used_at = now() WHERE id IN (SELECT key_id FROM found WHERE stale)
       )
       SELECT key_id, scopes, organisation_id, organisation_name, organisation_kind, organisation_status FROM found`,
      [keyHash],
    )) as HolderRecord[];
    const row = rows[0];
    return (
      row && {
        keyId: row.key_id,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        organisationKind: row.organisation_kind,
        organisationStatus: row.organisation_status,
        scopes: row.scopes,
      }
    );
  }
}
