import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganisationEntity } from './organisation.entity';
import { SubscriptionEntity } from './subscription.entity';

/**
 * A webhook channel of a subscription. The signing secret must sign every delivery, so it is kept recoverable but
 * sealed (`secret` and `previous_secret` hold SecretSealer output, never the secret in clear) and shown to its owner
 * only when created or rotated; after a rotation the previous one keeps signing until
 * `previous_secret_valid_until`, so receivers can switch without losing deliveries.
 */
@Entity({ name: 'webhook_endpoints' })
@Index(['subscriptionId', 'url'], { unique: true })
export class WebhookEndpointEntity {
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

  @Column({ type: 'text' })
  url: string;

  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks format). */
  @Column({ type: 'text' })
  secret: string;

  @Column({ name: 'previous_secret', type: 'text', nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_valid_until', type: 'timestamptz', nullable: true })
  previousSecretValidUntil: Date | null;

  /** Set when the receiver answered 410 Gone (or by an operator); no deliveries go to a disabled endpoint. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
