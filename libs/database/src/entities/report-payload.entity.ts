import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { IncidentReportEntity } from './incident-report.entity';

/** The submission exactly as received, kept apart from the report row so listings never load it. */
@Entity({ name: 'report_payloads' })
export class ReportPayloadEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @OneToOne(() => IncidentReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: IncidentReportEntity;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'bytea' })
  body: Buffer;
}
