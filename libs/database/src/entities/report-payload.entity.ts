import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { IncidentReportEntity } from './incident-report.entity';

/**
 * The submission exactly as received. Its bytes are kept in `report_payload_chunks` (about 1 MiB each)
 * so a 200 MB CSV is streamed into the database instead of being held in memory.
 */
@Entity({ name: 'report_payloads' })
export class ReportPayloadEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @OneToOne(() => IncidentReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: IncidentReportEntity;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'bigint', default: 0 })
  sizeBytes: string;

  /** Hex SHA-256 of the whole payload: integrity, and the fingerprint behind Idempotency-Key checks. */
  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;
}

@Entity({ name: 'report_payload_chunks' })
export class ReportPayloadChunkEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'bytea' })
  data: Buffer;
}
