import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { OrganisationEntity } from './organisation.entity';
import { SubscriptionEntity } from './subscription.entity';

/** When an e-mail channel's warnings go out: each at once, or gathered into one mail per hour or per day (UTC). */
export enum EmailChannelMode {
  Immediate = 'immediate',
  Hourly = 'hourly',
  Daily = 'daily',
}

export const EMAIL_CHANNEL_MODES: readonly EmailChannelMode[] = Object.values(EmailChannelMode);

/**
 * An e-mail channel of a subscription: warnings go to `address` in its language, encrypted to its OpenPGP key when
 * one is registered (checked with libs/pgp when saved; its fingerprint and expiry are kept to show back).
 */
@Entity({ name: 'subscription_email_channels' })
export class SubscriptionEmailChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  /** As given; unique per subscription whatever its case. */
  @Column({ type: 'text' })
  address: string;

  /** A network language (en, es, pt, fr). */
  @Column({ type: 'text', default: 'en' })
  locale: string;

  @Column({ type: 'enum', enum: EmailChannelMode, enumName: 'email_channel_mode', default: EmailChannelMode.Immediate })
  mode: EmailChannelMode;

  @Column({ name: 'pgp_public_key', type: 'text', nullable: true })
  pgpPublicKey: string | null;

  @Column({ name: 'pgp_fingerprint', type: 'text', nullable: true })
  pgpFingerprint: string | null;

  @Column({ name: 'pgp_expires_at', type: 'timestamptz', nullable: true })
  pgpExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export enum EmailWarningStatus {
  /** Waiting for its digest. */
  Pending = 'pending',
  /** In a mail (`mail_id`). */
  Mailed = 'mailed',
  /** Not mailed: by the time its digest went out the recipient could no longer receive it (suspended, no RED...). */
  Dropped = 'dropped',
}

/** One warning given to one e-mail channel; unique per (channel, warning), so a re-run fan-out adds nothing. */
@Entity({ name: 'email_channel_warnings' })
@Unique('UQ_email_channel_warnings_channel_warning', ['channelId', 'warningId'])
export class EmailChannelWarningEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId: string;

  @ManyToOne(() => SubscriptionEmailChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: SubscriptionEmailChannelEntity;

  @Column({ name: 'warning_id', type: 'text' })
  warningId: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId: string;

  /** The report's sharing scope, checked again when a digest goes out. */
  @Column({ type: 'text' })
  tlp: string;

  @Column({ name: 'audience_owner', type: 'uuid' })
  audienceOwner: string;

  @Column({ name: 'tlp_recipients', type: 'uuid', array: true, default: () => "'{}'" })
  tlpRecipients: string[];

  /** What the mail says about it, kept only while it waits for its digest. */
  @Column({ type: 'jsonb', nullable: true })
  content: unknown;

  @Column({ type: 'enum', enum: EmailWarningStatus, enumName: 'email_warning_status' })
  status: EmailWarningStatus;

  /** The end of its digest period (pending digest items only). */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ name: 'mail_id', type: 'uuid', nullable: true })
  mailId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
