import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A person's TOTP secret (RFC 6238); it counts as a second factor once confirmed. */
@Entity({ name: 'user_totp' })
export class UserTotpEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Base32, needed in clear to compute codes: stored sealed (SecretSealer, DATA_ENCRYPTION_KEY). */
  @Column({ type: 'text' })
  secret: string;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  /** The last 30-second step a code was accepted for: a code is never accepted twice. */
  @Column({ name: 'last_used_step', type: 'bigint', default: 0 })
  lastUsedStep: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A one-time recovery code, kept as SHA-256 (codes are 64-bit random). */
@Entity({ name: 'user_recovery_codes' })
export class UserRecoveryCodeEntity {
  @PrimaryColumn({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
