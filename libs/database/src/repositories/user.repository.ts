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

  /** The user if it may act now (not disabled, organisation active); read on every request, never cached. */
  async findActive(userId: string): Promise<ActiveUser | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT u.id AS user_id, u.role, o.id AS organisation_id, o.name AS organisation_name, o.kind AS organisation_kind
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.id = $1 AND u.disabled_at IS NULL AND o.status = $2`,
      [userId, OrganisationStatus.Active],
    )) as {
      user_id: string;
      role: UserRole;
      organisation_id: string;
      organisation_name: string;
      organisation_kind: OrganisationKind;
    }[];
    return (
      row && {
        userId: row.user_id,
        role: row.role,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        organisationKind: row.organisation_kind,
      }
    );
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
