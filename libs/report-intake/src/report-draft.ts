import { MAX_LISTED_PROBLEMS } from '@vigia/common';
import { NewReport, SkippedItem } from '@vigia/database';

/** The report-level fields once validated, whatever format they came in. */
export type ReportHeader = Pick<
  NewReport,
  | 'format'
  | 'title'
  | 'description'
  | 'classification'
  | 'type'
  | 'severity'
  | 'tlp'
  | 'tlpRecipients'
  | 'firstSeen'
  | 'lastSeen'
  | 'sectors'
  | 'countries'
>;

/** One canonical indicator, ready to store. */
export interface IndicatorRow {
  type: string;
  value: string;
  isCidr: boolean;
  firstSeen: Date | null;
  lastSeen: Date | null;
  confidence: number | null;
  note: string | null;
}

/** Receives a submission's parts as they are read; the CSV endpoint feeds it while streaming. */
export interface ReportSink {
  appendPayload(chunk: Buffer): Promise<void>;
  appendIndicators(rows: IndicatorRow[]): Promise<void>;
  skip(item: SkippedItem): void;
  readonly indicatorCount: number;
}

export interface ReportAccepted {
  id: string;
  statusUrl: string;
  /** True when an Idempotency-Key matched an earlier submission and its answer is returned again. */
  replayed: boolean;
}

/** Beyond this many, skipped items are counted but not listed one by one (as problems in an answer are). */
export const MAX_LISTED_SKIPPED = MAX_LISTED_PROBLEMS;

export const statusUrlOf = (id: string): string => `/api/v1/reports/${id}`;
