import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { UserEntity, UserRole } from '../entities/user.entity';

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
  passwordHash: string;
  role: UserRole;
}

/** A person's account as sign-in sees it. */
export interface SignInCandidate {
  userId: string;
  passwordHash: string;
  /** Not disabled, and its organisation active. */
  active: boolean;
  /** A confirmed TOTP secret: sign-in needs a code too. */
  secondFactor: boolean;
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
      `SELECT u.id, u.password_hash, (u.disabled_at IS NULL AND o.status = $2) AS active,
              EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS second_factor
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.email = $1`,
      [email, OrganisationStatus.Active],
    )) as { id: string; password_hash: string; active: boolean; second_factor: boolean }[];
    return (
      row && { userId: row.id, passwordHash: row.password_hash, active: row.active, secondFactor: row.second_factor }
    );
  }

  /** Replaces a password hash, e.g. with a stronger scheme's after a sign-in. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
      userId,
      passwordHash,
    ]);
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
}
