import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { InvitationEntity } from '../entities/invitation.entity';
import { UserEntity } from '../entities/user.entity';
import { appendAuditEvents } from './audit.repository';
import { isUniqueViolation } from './report.repository';
import { NewUser } from './user.repository';

/** An invitation to store with its account: only the digest of its token. */
export interface NewInvitation {
  tokenHash: string;
  expiresAt: Date;
  createdBy: string | null;
}

/**
 * Creates an account without a password and its invitation in the caller's transaction (onboarding's approval
 * invites a new organisation's first org-admin with its other changes). A taken e-mail throws a unique violation.
 */
export async function insertInvitedUser(
  manager: EntityManager,
  user: Omit<NewUser, 'passwordHash'>,
  invitation: NewInvitation,
): Promise<{ user: UserEntity; invitation: InvitationEntity }> {
  const created = await manager.save(manager.create(UserEntity, { ...user, passwordHash: null }));
  const stored = await manager.save(manager.create(InvitationEntity, { ...invitation, userId: created.id }));
  return { user: created, invitation: stored };
}

/** `invitations`: one-time links that let an invited person set their password. */
@Injectable()
export class InvitationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the account (without a password) and its invitation together, with the audit event `auditOf` makes of
   * the account; undefined (and no event) when the e-mail is taken.
   */
  async createInvitedUser(
    user: Omit<NewUser, 'passwordHash'>,
    invitation: NewInvitation,
    auditOf: (created: UserEntity) => NewAuditEvent,
  ): Promise<{ user: UserEntity; invitation: InvitationEntity } | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const created = await insertInvitedUser(manager, user, invitation);
        await appendAuditEvents(manager, [auditOf(created.user)]);
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** Whether a live (unused, unexpired) invitation has this digest: a cheap check before hashing a password. */
  async isLive(tokenHash: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()`,
      [tokenHash],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Consumes the live (unused, unexpired) invitation with this digest, sets its account's password and appends the
   * audit event `auditOf` makes of the account, in one transaction; the user id, or undefined (and no event) when no
   * live invitation has this digest.
   */
  async accept(
    tokenHash: string,
    passwordHash: string,
    auditOf: (accepted: { userId: string; organisationId: string }) => NewAuditEvent,
  ): Promise<string | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [consumed] = (await manager.query(
        `UPDATE invitations SET accepted_at = now()
          WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
          RETURNING user_id`,
        [tokenHash],
      )) as [{ user_id: string }[], number];
      const userId = consumed[0]?.user_id;
      if (!userId) return undefined;
      const [updated] = (await manager.query(
        `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING organisation_id`,
        [userId, passwordHash],
      )) as [{ organisation_id: string }[], number];
      // Any other invitation of this account is spent too.
      await manager.query(`UPDATE invitations SET accepted_at = now() WHERE user_id = $1 AND accepted_at IS NULL`, [
        userId,
      ]);
      await appendAuditEvents(manager, [auditOf({ userId, organisationId: updated[0]!.organisation_id })]);
      return userId;
    });
  }
}
