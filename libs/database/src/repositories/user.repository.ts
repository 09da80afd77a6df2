import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { UserEntity, UserRole } from '../entities/user.entity';
import { appendAuditEvents } from './audit.repository';
import { isUniqueViolation } from './report.repository';

/** A person who may act now: not disabled, in an active organisation. */
export interface ActiveUser {
  userId: string;
  role: UserRole;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  /** A confirmed TOTP second factor. */
  secondFactor: boolean;
}

/** A person's account to create. */
export interface NewUser {
  organisationId: string;
  /** Lower case. */
  email: string;
  displayName: string;
  /** Null for an invited account that has not set its password yet. */
  passwordHash: string | null;
  role: UserRole;
}

/** What an administrator changes on an account; absent fields stay. */
export interface UserChanges {
  role?: UserRole;
  disabled?: boolean;
}

/**
 * Called inside the change's transaction, with the organisation's accounts locked: throws to refuse the change.
 * `otherActiveOrgAdmins` counts the organisation's enabled org-admins other than `target`.
 */
export type UserChangeCheck = (target: UserEntity, otherActiveOrgAdmins: number) => void;

/** A person's account as sign-in sees it. */
export interface SignInCandidate {
  userId: string;
  /** The account's organisation (its sign-in events are recorded there). */
  organisationId: string;
  passwordHash: string;
  /** Not disabled, and its organisation active. */
  active: boolean;
  /** A confirmed TOTP secret: sign-in needs a code too. */
  secondFactor: boolean;
}

/** What an update changed on an account (only what differs from before), for the audit log. */
export interface UserChangeMade {
  role?: { from: UserRole; to: UserRole };
  disabled?: boolean;
}

/** `users`: people's accounts. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { email } });
  }

  /** The account with this (lower-case) e-mail, for sign-in. */
  async findForSignIn(email: string): Promise<SignInCandidate | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT u.id, u.organisation_id, u.password_hash, (u.disabled_at IS NULL AND o.status = $2) AS active,
              EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS second_factor
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        -- An invited account has no password until the invitation is accepted: it cannot sign in yet.
        WHERE u.email = $1 AND u.password_hash IS NOT NULL`,
      [email, OrganisationStatus.Active],
    )) as { id: string; organisation_id: string; password_hash: string; active: boolean; second_factor: boolean }[];
    return (
      row && {
        userId: row.id,
        organisationId: row.organisation_id,
        passwordHash: row.password_hash,
        active: row.active,
        secondFactor: row.second_factor,
      }
    );
  }

  /** Replaces a password hash, e.g. with a stronger scheme's after a sign-in. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
      userId,
      passwordHash,
    ]);
  }

  async create(user: NewUser): Promise<UserEntity> {
    return this.dataSource.manager.save(this.dataSource.manager.create(UserEntity, user));
  }

  /** The account, or undefined when the e-mail is taken. */
  async createUnlessTaken(user: NewUser): Promise<UserEntity | undefined> {
    try {
      return await this.create(user);
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async findInOrganisation(organisationId: string, userId: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { id: userId, organisationId } });
  }

  /** The organisation's accounts, by e-mail. */
  async listInOrganisation(organisationId: string): Promise<UserEntity[]> {
    return this.dataSource.manager.find(UserEntity, { where: { organisationId }, order: { email: 'ASC' } });
  }

  /**
   * Changes an account of the organisation after `check` allowed it, in one transaction that locks the
   * organisation's accounts (two administrators demoting each other cannot leave none). Null when there is no
   * such account in the organisation. The audit events `auditOf` makes of what actually changed are appended in the
   * same transaction.
   */
  async updateInOrganisation(
    organisationId: string,
    userId: string,
    changes: UserChanges,
    check: UserChangeCheck,
    auditOf: (made: UserChangeMade) => NewAuditEvent[],
  ): Promise<UserEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const members = (await manager.query(
        `SELECT id, role, disabled_at FROM users WHERE organisation_id = $1 ORDER BY id FOR UPDATE`,
        [organisationId],
      )) as { id: string; role: UserRole; disabled_at: Date | null }[];
      const target = await manager.findOne(UserEntity, { where: { id: userId, organisationId } });
      if (!target) return null;
      const otherActiveOrgAdmins = members.filter(
        (member) => member.id !== userId && member.role === UserRole.OrgAdmin && member.disabled_at === null,
      ).length;
      check(target, otherActiveOrgAdmins);
      const set: Partial<Pick<UserEntity, 'role' | 'disabledAt'>> = {};
      const made: UserChangeMade = {};
      if (changes.role !== undefined) set.role = changes.role;
      if (changes.role !== undefined && changes.role !== target.role) {
        made.role = { from: target.role, to: changes.role };
      }
      if (changes.disabled !== undefined && changes.disabled !== (target.disabledAt !== null)) {
        set.disabledAt = changes.disabled ? new Date() : null;
        made.disabled = changes.disabled;
      }
      if (Object.keys(set).length > 0) await manager.update(UserEntity, { id: userId }, set);
      await appendAuditEvents(manager, auditOf(made));
      return manager.findOneOrFail(UserEntity, { where: { id: userId } });
    });
  }

  /** Replaces the account's password; false when there is no such account. */
  async setPassword(userId: string, passwordHash: string): Promise<boolean> {
    const result = await this.dataSource.manager.update(UserEntity, { id: userId }, { passwordHash });
    return (result.affected ?? 0) > 0;
  }
}
