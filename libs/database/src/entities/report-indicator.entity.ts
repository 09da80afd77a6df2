import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, ViewColumn, ViewEntity } from 'typeorm';
import { IncidentReportEntity } from './incident-report.entity';

/** Most indicators one batch holds: a streamed CSV is written this many at a time. */
export const INDICATOR_BATCH_SIZE = 5000;

/** One indicator in `report_indicator_batches.indicators`, already canonical (canonicalised at the door); absent means null. */
export interface BatchedIndicator {
  type: string;
  value: string;
  is_cidr?: true;
  /** ISO 8601. */
  first_seen?: string;
  last_seen?: string;
  confidence?: number;
  note?: string;
}

/** Up to `INDICATOR_BATCH_SIZE` of a report's indicators, in the order submitted; the worker turns them into STIX. */
@Entity({ name: 'report_indicator_batches' })
export class ReportIndicatorBatchEntity {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @ManyToOne(() => IncidentReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: IncidentReportEntity;

  @Column({ name: 'indicator_count', type: 'integer' })
  indicatorCount: number;

  @Column({ type: 'json' })
  indicators: BatchedIndicator[];
}

/** The view `report_indicators`: one row per received indicator, read out of the batches (for SQL and tests). */
@ViewEntity({ name: 'report_indicators', synchronize: false })
export class ReportIndicatorEntity {
  @ViewColumn({ name: 'report_id' })
  reportId: string;

  @ViewColumn()
  batch: number;

  /** 1, 2, 3... within the batch, in the order submitted. */
  @ViewColumn()
  position: number;

  @ViewColumn()
  type: string;

  @ViewColumn()
  value: string;

  @ViewColumn({ name: 'is_cidr' })
  isCidr: boolean;

  @ViewColumn({ name: 'first_seen' })
  firstSeen: Date | null;

  @ViewColumn({ name: 'last_seen' })
  lastSeen: Date | null;

  @ViewColumn()
  confidence: number | null;

  @ViewColumn()
  note: string | null;
}
