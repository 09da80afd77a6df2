import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvitationEntity } from '../entities/invitation.entity';
import { UserEntity } from '../entities/user.entity';
import { isUniqueViolation } from './report.repository';
import { NewUser } from './user.repository';

/** An invitation to store with its account: only the digest of its token. */
export interface NewInvitation {
  tokenHash: string;
  expiresAt: Date;
  createdBy: string | null;
}

/** `invitations`: one-time links that let an invited person set their password. */
@Injectable()
export class InvitationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the account (without a password) and its invitation together; undefined when the e-mail is taken. */
  async createInvitedUser(
    user: Omit<NewUser, 'passwordHash'>,
    invitation: NewInvitation,
  ): Promise<{ user: UserEntity; invitation: InvitationEntity } | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(manager.create(UserEntity, { ...user, passwordHash: null }));
        const stored = await manager.save(manager.create(InvitationEntity, { ...invitation, userId: created.id }));
        return { user: created, invitation: stored };
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
   * Consumes the live (unused, unexpired) invitation with this digest and sets its account's password, in one
   * transaction; the user id, or undefined when no live invitation has this digest.
   */
  async accept(tokenHash: string, passwordHash: string): Promise<string | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [consumed] = (await manager.query(
        `UPDATE invitations SET accepted_at = now()
          WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
          RETURNING user_id`,
        [tokenHash],
      )) as [{ user_id: string }[], number];
      const userId = consumed[0]?.user_id;
      if (!userId) return undefined;
      await manager.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
        userId,
        passwordHash,
      ]);
      // Any other invitation of this account is spent too.
      await manager.query(`UPDATE invitations SET accepted_at = now() WHERE user_id = $1 AND accepted_at IS NULL`, [
        userId,
      ]);
      return userId;
    });
  }
}
