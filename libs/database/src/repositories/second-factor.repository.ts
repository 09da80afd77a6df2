import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { SecretSealer } from '../secret-sealer';
import { appendAuditEvents } from './audit.repository';

/** A user's TOTP secret as the service needs it. */
export interface StoredTotp {
  secret: string;
  confirmed: boolean;
}

/** `user_totp`, `user_recovery_codes`: people's second factor. */
@Injectable()
export class SecondFactorRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  async findTotp(userId: string): Promise<StoredTotp | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT secret, confirmed_at IS NOT NULL AS confirmed FROM user_totp WHERE user_id = $1`,
      [userId],
    )) as { secret: string; confirmed: boolean }[];
    return row && { secret: this.sealer.open(row.secret), confirmed: row.confirmed };
  }

  /** Re-wraps every TOTP secret's data key with the first DATA_ENCRYPTION_KEY (key rotation); answers how many. */
  async rewrapSecrets(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(`SELECT user_id, secret FROM user_totp FOR UPDATE`)) as {
        user_id: string;
        secret: string;
      }[];
      let changed = 0;
      for (const row of rows) {
        const secret = this.sealer.rewrap(row.secret);
        if (secret === row.secret) continue;
        await manager.query(`UPDATE user_totp SET secret = $2 WHERE user_id = $1`, [row.user_id, secret]);
        changed += 1;
      }
      return changed;
    });
  }

  /**
   * Stores a new, unconfirmed secret (sealed: it is needed in clear to compute codes, so it is encrypted rather than
   * hashed); false when the user already has a confirmed one (left as it is).
   */
  async startEnrolment(userId: string, secret: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO user_totp (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, last_used_step = 0, created_at = now()
        WHERE user_totp.confirmed_at IS NULL
       RETURNING user_id`,
      [userId, this.sealer.seal(secret)],
    )) as { user_id: string }[];
    return rows.length > 0;
  }

  /**
   * Confirms the pending secret with the step of the code that proved it (so that code is spent) and replaces the
   * recovery codes, in one transaction with the audit events `auditOf` makes; false when nothing was pending.
   */
  async confirm(
    userId: string,
    step: number,
    recoveryCodeHashes: string[],
    auditOf: () => NewAuditEvent[],
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, confirmed] = (await manager.query(
        `UPDATE user_totp SET confirmed_at = now(), last_used_step = $2
          WHERE user_id = $1 AND confirmed_at IS NULL RETURNING user_id`,
        [userId, step],
      )) as [unknown[], number];
      if (confirmed === 0) return false;
      await manager.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [userId]);
      await manager.query(`INSERT INTO user_recovery_codes (code_hash, user_id) SELECT unnest($2::char(64)[]), $1`, [
        userId,
        recoveryCodeHashes,
      ]);
      await appendAuditEvents(manager, auditOf());
      return true;
    });
  }

  /** Spends a time step: true only if it is later than every step accepted before (a code works once). */
  async useStep(userId: string, step: number): Promise<boolean> {
    const [, updated] = (await this.dataSource.query(
      `UPDATE user_totp SET last_used_step = $2
        WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_used_step < $2 RETURNING user_id`,
      [userId, step],
    )) as [unknown[], number];
    return updated > 0;
  }

  /** Spends a recovery code: true the first time only. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const [, updated] = (await this.dataSource.query(
      `UPDATE user_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING code_hash`,
      [userId, codeHash],
    )) as [unknown[], number];
    return updated > 0;
  }
}
