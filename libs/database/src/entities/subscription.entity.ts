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

/**
 * What an organisation wants to be warned about, and whether on its live stream. Filters are typed columns (an
 * empty list or null means "any") so the matcher loads every active subscription in one plain query; webhook
 * channels are rows of `webhook_endpoints`.
 */
@Entity({ name: 'subscriptions' })
@Index(['organisationId'])
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'indicator_types', type: 'text', array: true, default: () => "'{}'" })
  indicatorTypes: string[];

  /** RSIT classifications. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  classifications: string[];

  /** low < medium < high < critical. */
  @Column({ name: 'min_severity', type: 'text', nullable: true })
  minSeverity: string | null;

  @Column({ name: 'min_confidence', type: 'smallint', nullable: true })
  minConfidence: number | null;

  /** ISO 3166-1 alpha-2, upper case. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  countries: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sectors: string[];

  /** Only indicators reported by at least this many organisations. */
  @Column({ name: 'min_org_count', type: 'integer', nullable: true })
  minOrgCount: number | null;

  /** Warn only about indicators with at least this score. */
  @Column({ name: 'min_score', type: 'smallint', nullable: true })
  minScore: number | null;

  /** Networks of the constituency; PostgreSQL `cidr`, so `constituency_cidrs && ...` / `>>=` work in SQL. */
  @Column({ name: 'constituency_cidrs', type: 'cidr', array: true, default: () => "'{}'" })
  constituencyCidrs: string[];

  /** AS numbers (bigint: they go up to 2^32 - 1; the driver returns them as strings). */
  @Column({ name: 'constituency_asns', type: 'bigint', array: true, default: () => "'{}'" })
  constituencyAsns: string[];

  /** Domain suffixes, canonical (lower case, punycode, no leading dot). */
  @Column({ name: 'constituency_domains', type: 'text', array: true, default: () => "'{}'" })
  constituencyDomains: string[];

  @Column({ name: 'include_own_reports', type: 'boolean', default: false })
  includeOwnReports: boolean;

  /** TLP:RED reaches this subscription only if it says so: its channels reach named people, not other systems. */
  @Column({ name: 'accepts_red', type: 'boolean', default: false })
  acceptsRed: boolean;

  /** The live stream channel (`GET /api/v1/stream`) is one of this subscription's channels. */
  @Column({ type: 'boolean', default: false })
  stream: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
