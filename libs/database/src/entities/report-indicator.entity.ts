import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IncidentReportEntity } from './incident-report.entity';

/** An indicator as the report submitted it, already normalised at the door; the worker turns it into STIX. */
@Entity({ name: 'report_indicators' })
@Index(['reportId'])
@Index(['type', 'value'])
export class ReportIndicatorEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @ManyToOne(() => IncidentReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: IncidentReportEntity;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'is_cidr', type: 'boolean', default: false })
  isCidr: boolean;

  @Column({ name: 'first_seen', type: 'timestamptz', nullable: true })
  firstSeen: Date | null;

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  @Column({ type: 'smallint', nullable: true })
  confidence: number | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
