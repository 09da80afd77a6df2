import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganisationEntity } from './organisation.entity';

/** An organisation's directory profile; an organisation without one shows an empty profile. */
@Entity({ name: 'directory_entries' })
export class DirectoryEntryEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @OneToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  /** The mandate or founding reference (a decree, a law, a charter...). */
  @Column({ type: 'text', nullable: true })
  mandate: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * A 24/7 contact of an organisation, known by its e-mail address within it (a unique index on `lower(email)`), so an
 * edit that keeps the address keeps its reachability confirmations.
 */
@Entity({ name: 'directory_contacts' })
@Index(['organisationId'])
export class DirectoryContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  /** Order of the contacts as the organisation lists them (first: call first). */
  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'text' })
  name: string;

  /** What the contact is (`Duty officer`, `Incident desk`...). */
  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'text' })
  email: string;

  /** E.164 (`+59821234567`). */
  @Column({ type: 'text' })
  phone: string;

  /** Armored OpenPGP public key, as registered. */
  @Column({ name: 'pgp_public_key', type: 'text', nullable: true })
  pgpPublicKey: string | null;

  /** Upper-case hex fingerprint of the primary key. */
  @Column({ name: 'pgp_fingerprint', type: 'text', nullable: true })
  pgpFingerprint: string | null;

  @Column({ name: 'pgp_expires_at', type: 'timestamptz', nullable: true })
  pgpExpiresAt: Date | null;

  /** IANA time zone (`America/Montevideo`). */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone: string;

  /** ISO 639-1 codes, lower case. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  /** When the contact answers, as text (`24/7`, `Mon-Fri 09:00-18:00`). */
  @Column({ type: 'text' })
  hours: string;

  /** When the contact last confirmed a reachability check. */
  @Column({ name: 'last_confirmed_at', type: 'timestamptz', nullable: true })
  lastConfirmedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A network of an organisation's constituency (`cidr`, GiST `inet_ops` index for `network >>= address`). */
@Entity({ name: 'directory_networks' })
export class DirectoryNetworkEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ type: 'cidr' })
  network: string;
}

/** An AS number of an organisation's constituency (bigint: up to 2^32 - 1; the driver answers strings). */
@Entity({ name: 'directory_asns' })
export class DirectoryAsnEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Index()
  @PrimaryColumn({ type: 'bigint' })
  asn: string;
}

/** A domain suffix of an organisation's constituency: canonical (lower case, punycode, no leading dot). */
@Entity({ name: 'directory_domains' })
export class DirectoryDomainEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Index()
  @PrimaryColumn({ type: 'text' })
  domain: string;
}

/** A reachability check the coordinator started: every 24/7 contact was asked to confirm by `respondBy`. */
@Entity({ name: 'directory_reachability_checks' })
export class DirectoryReachabilityCheckEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The coordinator who started it (null once their account is gone). */
  @Column({ name: 'started_by', type: 'uuid', nullable: true })
  startedBy: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'respond_by', type: 'timestamptz' })
  respondBy: Date;
}

/** One contact asked in one check; only the SHA-256 of the link's token is kept. */
@Entity({ name: 'directory_contact_confirmations' })
@Index(['checkId', 'contactId'], { unique: true })
export class DirectoryContactConfirmationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'check_id', type: 'uuid' })
  checkId: string;

  @ManyToOne(() => DirectoryReachabilityCheckEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'check_id' })
  check?: DirectoryReachabilityCheckEntity;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => DirectoryContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: DirectoryContactEntity;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;
}
