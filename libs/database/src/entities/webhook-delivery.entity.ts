import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from './organisation.entity';
import { SubscriptionEntity } from './subscription.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  /** Queued, not attempted yet (or replayed). */
  Pending = 'pending',
  Delivered = 'delivered',
  /** At least one attempt failed; the next one is due at `next_attempt_at`. */
  Failed = 'failed',
  /** Every attempt failed, or the endpoint is gone: dead-lettered until its owner replays it. */
  Dead = 'dead',
}

/** One warning to one webhook endpoint; `id` is the `webhook-id` header, the same on every attempt. */
@Entity({ name: 'webhook_deliveries' })
@Index(['warningId', 'endpointId'], { unique: true })
@Index(['subscriptionId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;

  /** The endpoint's subscription, kept here so its delivery log is one index scan. */
  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @ManyToOne(() => SubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: SubscriptionEntity;

  /** The recipient. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ name: 'warning_id', type: 'text' })
  warningId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  /** The envelope sent as the body. */
  @Column({ type: 'jsonb' })
  payload: object;

  @Column({
    type: 'enum',
    enum: WebhookDeliveryStatus,
    enumName: 'webhook_delivery_status',
    default: WebhookDeliveryStatus.Pending,
  })
  status: WebhookDeliveryStatus;

  /** Attempts since it was scheduled or last replayed. */
  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  /** How often its owner replayed it; part of the job id of each replay. */
  @Column({ type: 'smallint', default: 0 })
  replays: number;

  @Column({ name: 'last_status_code', type: 'smallint', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'dead_at', type: 'timestamptz', nullable: true })
  deadAt: Date | null;
}

/** Every attempt of a delivery, kept for its owner to see what the receiver answered. */
@Entity({ name: 'webhook_delivery_attempts' })
@Index(['deliveryId', 'attemptedAt'])
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: WebhookDeliveryEntity;

  /** 1-based within the delivery's current run (a replay starts again at 1). */
  @Column({ type: 'smallint' })
  attempt: number;

  @Column({ name: 'status_code', type: 'smallint', nullable: true })
  statusCode: number | null;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt: Date;
}
