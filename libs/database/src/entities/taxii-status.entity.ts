import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One object of a TAXII "add objects" request: its id and version, and why it was refused if it was. */
export interface TaxiiStatusObject {
  id: string;
  version: string;
  message?: string;
}

/**
 * What a TAXII client added in one request: the objects accepted (they went in as the STIX report `reportId`) and
 * those refused with the reason. The status (pending, successes, failures) is computed from it and the report.
 */
@Entity({ name: 'taxii_statuses' })
@Index('IDX_taxii_statuses_organisation', ['organisationId'])
export class TaxiiStatusEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The report the accepted objects went in as; null when none was accepted. */
  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  accepted: TaxiiStatusObject[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  refused: TaxiiStatusObject[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
