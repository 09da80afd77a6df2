import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { UserSessionEntity } from '../entities/user-session.entity';
import { UserRole } from '../entities/user.entity';
import { appendAuditEvents } from './audit.repository';
import { ActiveUser } from './user.repository';

/** `last_used_at` is touched by requests at most this often, so a busy session does not write on every request. */
const LAST_USED_RESOLUTION = "interval '1 minute'";

/** Why a session ended (`revoked_reason`). */
export enum SessionEndReason {
  Logout = 'logout',
  LogoutAll = 'logout-all',
  Revoked = 'revoked',
  RefreshTokenReuse = 'refresh-token-reuse',
}

export interface NewSession {
  userId: string;
  /** SHA-256 (hex) of the first refresh token. */
  refreshTokenHash: string;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
}

/** What presenting a refresh token came to. */
export type RefreshOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string; expiresAt: Date }
  | { kind: 'unknown' }
  /** The session was revoked or expired before. */
  | { kind: 'ended' }
  /** The token had been used already: the session is now revoked. */
  | { kind: 'reused' }
  /** The user is disabled or its organisation not active: nothing rotated. */
  | { kind: 'inactive' };

/** A session a reused refresh token revoked, for its audit event. */
export interface ReusedSession {
  sessionId: string;
  userId: string;
  organisationId: string;
}

interface PresentedRecord {
  session_id: string;
  user_id: string;
  organisation_id: string;
  used_at: Date | null;
  expires_at: Date;
  ended: boolean;
  user_active: boolean;
}

interface HolderRecord {
  second_factor: boolean;
  user_id: string;
  role: UserRole;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
}

/** `user_sessions`, `refresh_tokens`: people's sign-in sessions, each a refresh-token family. */
@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Opens a session with its first refresh token, in one statement; answers the session id. */
  async create(session: NewSession): Promise<string> {
    const [row] = (await this.dataSource.query(
      `WITH created AS (
         INSERT INTO user_sessions (user_id, expires_at, user_agent, ip_address)
         VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO refresh_tokens (token_hash, session_id) SELECT $5, id FROM created RETURNING session_id`,
      [session.userId, session.expiresAt, session.userAgent, session.ipAddress, session.refreshTokenHash],
    )) as { session_id: string }[];
    return row!.session_id;
  }

  /**
   * Rotates a refresh token: the presented one is marked used and `nextHash` joins its session. A token presented
   * a second time means it was copied: the whole session is revoked. Runs in one transaction, the presented token
   * locked, so two concurrent refreshes with one token cannot both succeed. The audit events `auditOfReuse` makes of
   * a session revoked for reuse are appended in that transaction.
   */
  async rotate(
    presentedHash: string,
    nextHash: string,
    auditOfReuse: (reused: ReusedSession) => NewAuditEvent[],
  ): Promise<RefreshOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const [found] = (await manager.query(
        `SELECT t.session_id, s.user_id, u.organisation_id, t.used_at, s.expires_at,
                (s.revoked_at IS NOT NULL OR s.expires_at <= now()) AS ended,
                (u.disabled_at IS NULL AND o.status = $2) AS user_active
           FROM refresh_tokens t
           JOIN user_sessions s ON s.id = t.session_id
           JOIN users u ON u.id = s.user_id
           JOIN organisations o ON o.id = u.organisation_id
          WHERE t.token_hash = $1
            FOR UPDATE OF t, s`,
        [presentedHash, OrganisationStatus.Active],
      )) as PresentedRecord[];
      if (!found) return { kind: 'unknown' };
      if (found.ended) return { kind: 'ended' };
      if (found.used_at) {
        await manager.query(
          `UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
          [found.session_id, SessionEndReason.RefreshTokenReuse],
        );
        await appendAuditEvents(
          manager,
          auditOfReuse({ sessionId: found.session_id, userId: found.user_id, organisationId: found.organisation_id }),
        );
        return { kind: 'reused' };
      }
      if (!found.user_active) return { kind: 'inactive' };
      await manager.query(`UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1`, [presentedHash]);
      await manager.query(`INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)`, [
        nextHash,
        found.session_id,
      ]);
      await manager.query(`UPDATE user_sessions SET last_used_at = now() WHERE id = $1`, [found.session_id]);
      return { kind: 'rotated', sessionId: found.session_id, userId: found.user_id, expiresAt: found.expires_at };
    });
  }

  /**
   * The user if it may act now in this session (session live, user not disabled, organisation active), in one
   * statement that also touches the session's `last_used_at` when stale. Read on every request, never cached.
   */
  async findActiveHolder(userId: string, sessionId: string): Promise<ActiveUser | undefined> {
    const [row] = (await this.dataSource.query(
      `WITH found AS (
         SELECT u.id AS user_id, u.role, o.id AS organisation_id, o.name AS organisation_name,
                o.kind AS organisation_kind, s.id AS session_id,
                s.last_used_at < now() - ${LAST_USED_RESOLUTION} AS stale,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                  AS second_factor
           FROM user_sessions s
           JOIN users u ON u.id = s.user_id
           JOIN organisations o ON o.id = u.organisation_id
          WHERE s.id = $2 AND s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND u.disabled_at IS NULL AND o.status = $3
       ), touched AS (
         UPDATE user_sessions SET last_used_at = now() WHERE id IN (SELECT session_id FROM found WHERE stale)
       )
       SELECT user_id, role, organisation_id, organisation_name, organisation_kind, second_factor FROM found`,
      [userId, sessionId, OrganisationStatus.Active],
    )) as HolderRecord[];
    return (
      row && {
        userId: row.user_id,
        role: row.role,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        organisationKind: row.organisation_kind,
        secondFactor: row.second_factor,
      }
    );
  }

  /** The user's sessions that are neither revoked nor expired, most recently used first. */
  async listLive(userId: string): Promise<UserSessionEntity[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, created_at, last_used_at, expires_at, user_agent, host(ip_address) AS ip_address
         FROM user_sessions
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY last_used_at DESC, created_at DESC`,
      [userId],
    )) as {
      id: string;
      created_at: Date;
      last_used_at: Date;
      expires_at: Date;
      user_agent: string | null;
      ip_address: string | null;
    }[];
    return rows.map((row) =>
      Object.assign(new UserSessionEntity(), {
        id: row.id,
        userId,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        expiresAt: row.expires_at,
        revokedAt: null,
        revokedReason: null,
        userAgent: row.user_agent,
        ipAddress: row.ip_address,
      }),
    );
  }

  /** Revokes one of the user's live sessions; false when it has none with that id (another user's included). */
  async revoke(userId: string, sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE user_sessions SET revoked_at = now(), revoked_reason = $3
        WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        RETURNING id`,
      [userId, sessionId, reason],
    )) as [{ id: string }[], number];
    return rows[1] > 0;
  }

  /** Revokes every live session of the user; answers how many. */
  async revokeAll(userId: string, reason: SessionEndReason): Promise<number> {
    const rows = (await this.dataSource.query(
      `UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        RETURNING id`,
      [userId, reason],
    )) as [{ id: string }[], number];
    return rows[1];
  }
}
