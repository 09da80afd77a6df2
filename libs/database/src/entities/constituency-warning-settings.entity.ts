import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A member's constituency warnings (warnings about its own constituency, without a subscription); no row: defaults. */
@Entity({ name: 'constituency_warning_settings' })
export class ConstituencyWarningSettingsEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** low < medium < high < critical; null: every severity. */
  @Column({ name: 'min_severity', type: 'text', nullable: true })
  minSeverity: string | null;

  @Column({ type: 'boolean', default: true })
  stream: boolean;

  /** Mail to the organisation's 24/7 contacts in the directory. */
  @Column({ type: 'boolean', default: true })
  email: boolean;

  /** The organisation's webhook endpoints (one per URL, of its active subscriptions). */
  @Column({ type: 'boolean', default: true })
  webhook: boolean;

  @Column({ name: 'accepts_red', type: 'boolean', default: false })
  acceptsRed: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
