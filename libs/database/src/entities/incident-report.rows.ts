import { SharingScope } from '@vigia/sharing';
import { ReportSourceFormat, ReportStatus, SkippedItem } from './incident-report.entity';
import { OrganisationSummary } from './organisation.rows';

/** A report as ingest stores it on arrival (status `received`). */
export interface NewReport {
  id: string;
  organisationId: string;
  format: ReportSourceFormat;
  title: string;
  description: string;
  classification: string;
  type: string | null;
  severity: string;
  tlp: string;
  tlpRecipients: string[];
  firstSeen: Date | null;
  lastSeen: Date | null;
  sectors: string[];
  countries: string[];
  idempotencyKey: string | null;
  indicatorCount: number;
  /** The first skipped items; `skippedCount` counts them all. */
  skipped: SkippedItem[];
  skippedCount: number;
}

/** A streamed report's totals, known once its last part was written. */
export interface StreamedReportTotals {
  payloadBytes: number;
  sha256: string;
  indicatorCount: number;
  /** The first skipped items; `skippedCount` counts them all. */
  skipped: SkippedItem[];
  skippedCount: number;
}

/** Where a streamed report's parts go, inside the transaction that stores it. */
export interface ReportPartsWriter {
  addPayloadChunk(seq: number, data: Buffer): Promise<void>;
  /** `indicatorsJson`: a JSON array of `BatchedIndicator`. */
  addIndicatorBatch(seq: number, count: number, indicatorsJson: string): Promise<void>;
}

/** What the STIX report of an incident report says beyond its references. */
export interface ReportSummary {
  title: string;
  description: string;
  classification: string;
  type: string | null;
  severity: string;
  sectors: readonly string[];
  countries: readonly string[];
  receivedAt: Date;
}

/** An incident report locked for normalisation, with its organisation. */
export interface ReportToNormalise extends ReportSummary {
  id: string;
  status: ReportStatus;
  /** The format it was submitted in: a STIX document's objects are kept as sent. */
  format: ReportSourceFormat;
  organisation: OrganisationSummary;
  /** The report's level and audience; its owner is the reporting organisation. */
  scope: SharingScope;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

/** The report behind a fan-out, with what matching and the warning envelope need of it. */
export interface SourceReport {
  id: string;
  organisationId: string;
  classification: string;
  severity: string;
  tlp: string;
  tlpRecipients: string[];
  countries: string[];
  sectors: string[];
  title: string;
  rsitType: string | null;
  reporterName: string;
}

/** One of an organisation's own reports as its list shows it (newest first). */
export interface OwnReportRow {
  id: string;
  title: string;
  status: ReportStatus;
  format: ReportSourceFormat;
  tlp: string;
  severity: string;
  indicatorCount: number;
  skippedCount: number;
  receivedAt: Date;
  /** `received_at` to the microsecond, as a keyset cursor needs it (a Date keeps milliseconds). */
  receivedAtExact: string;
  normalisedAt: Date | null;
}

/** Which of its reports an organisation lists: a status or all, after a keyset position, at most `limit`. */
export interface OwnReportsQuery {
  organisationId: string;
  status?: ReportStatus;
  before?: { receivedAt: string; id: string };
  limit: number;
}

/** One organisation's submissions on one UTC day: how many reports, and how many indicators they held. */
export interface DailySubmissionRow {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  organisationId: string;
  organisationName: string;
  reports: number;
  indicators: number;
}
