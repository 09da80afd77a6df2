import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, VigiaException } from '@vigia/common';
import { OrganisationStatus } from '@vigia/database';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { DataSource } from 'typeorm';
import { hashApiKey } from './api-key-secret';
import { OrganisationPrincipal } from './organisation-principal';

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_STRATEGY = 'api-key';
/** `last_used_at` is refreshed at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

interface KeyRow {
  key_id: string;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationPrincipal['organisationKind'];
  organisation_status: OrganisationStatus;
}

/** Authenticates machine clients by the `X-Api-Key` header against the stored SHA-256 of the key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async validate(request: Request): Promise<OrganisationPrincipal> {
    const secret = request.header(API_KEY_HEADER);
    if (!secret) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing X-Api-Key header');
    // One statement finds a live key and touches last_used_at when it is stale.
    const rows = (await this.dataSource.query(
      `WITH found AS (
         SELECT k.id AS key_id, o.id AS organisation_id, o.name AS organisation_name,
                o.kind AS organisation_kind, o.status AS organisation_status,
                (k.last_used_at IS NULL OR k.last_used_at < now() - ${LAST_USED_RESOLUTION}) AS stale
           FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       ), touched AS (
         UPDATE api_keys SET last_used_at = now() WHERE id IN (SELECT key_id FROM found WHERE stale)
       )
       SELECT key_id, organisation_id, organisation_name, organisation_kind, organisation_status FROM found`,
      [hashApiKey(secret)],
    )) as KeyRow[];
    const row = rows[0];
    if (!row) throw new VigiaException(ErrorCode.Unauthenticated, 'Unknown, revoked or expired API key');
    if (row.organisation_status !== OrganisationStatus.Active) {
      throw new VigiaException(ErrorCode.Forbidden, `Organisation is ${row.organisation_status}, not active`);
    }
    return {
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationKind: row.organisation_kind,
      apiKeyId: row.key_id,
    };
  }
}
