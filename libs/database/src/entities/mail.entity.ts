import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum MailStatus {
  /** Waiting for the worker to send it. */
  Queued = 'queued',
  /** Handed to the SMTP server. */
  Sent = 'sent',
  /** No SMTP server is configured: kept in the mail log instead (development). */
  Logged = 'logged',
  /** Could not be sent after every retry, or could not be sent safely (the recipient's key became unusable). */
  Failed = 'failed',
}

/** One mail of the mail log (see the migration for what is kept when). */
@Entity({ name: 'mails' })
@Index('IDX_mails_created', ['createdAt', 'id'])
export class MailEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** What the mail is about (`application-verification`, `warning-digest`...), for the log's filters. */
  @Column({ type: 'text' })
  category: string;

  /** The organisation it concerns, if any. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  locale: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** The recipient's armored OpenPGP key: the body is encrypted to it when sent. Cleared once sent. */
  @Column({ name: 'pgp_public_key', type: 'text', nullable: true })
  pgpPublicKey: string | null;

  @Column({ type: 'boolean', default: false })
  encrypted: boolean;

  @Column({ type: 'enum', enum: MailStatus, enumName: 'mail_status', default: MailStatus.Queued })
  status: MailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
