import { createHash, Hash } from 'node:crypto';
import { SkippedItem } from '@vigia/database';
import { QueryRunner } from 'typeorm';
import { IndicatorRow, MAX_LISTED_SKIPPED, ReportSink } from './report-draft';

export const INDICATOR_COLUMNS = 'report_id, type, value, is_cidr, first_seen, last_seen, confidence, note';

/** `unnest(...)` over the eight indicator arrays, their parameters numbered from `first`. */
export const indicatorUnnest = (first: number): string => {
  const types = ['text', 'text', 'boolean', 'timestamptz', 'timestamptz', 'smallint', 'text'];
  return `unnest(${types.map((type, index) => `$${first + index}::${type}[]`).join(', ')})`;
};

/** Column arrays for `indicatorUnnest`: one round trip inserts any number of rows. */
export const indicatorArrays = (rows: IndicatorRow[]): unknown[] => [
  rows.map((row) => row.type),
  rows.map((row) => row.value),
  rows.map((row) => row.isCidr),
  rows.map((row) => row.firstSeen),
  rows.map((row) => row.lastSeen),
  rows.map((row) => row.confidence),
  rows.map((row) => row.note),
];

const PAYLOAD_CHUNK_BYTES = 1024 * 1024;
const INDICATOR_BATCH = 5000;

/**
 * Writes one report's payload and indicators inside the caller's transaction, in batches: payload chunks of
 * 1 MiB and indicator rows 5,000 at a time through `unnest`, so memory stays flat whatever the size.
 */
export class ReportWriter implements ReportSink {
  readonly skipped: SkippedItem[] = [];
  skippedCount = 0;
  indicatorCount = 0;
  payloadBytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private pendingPayload: Buffer[] = [];
  private pendingPayloadBytes = 0;
  private payloadSeq = 0;
  private pendingRows: IndicatorRow[] = [];

  constructor(
    private readonly runner: QueryRunner | null,
    private readonly reportId: string,
  ) {}

  async appendPayload(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.payloadBytes += chunk.length;
    if (!this.runner) return;
    this.pendingPayload.push(chunk);
    this.pendingPayloadBytes += chunk.length;
    if (this.pendingPayloadBytes >= PAYLOAD_CHUNK_BYTES) await this.flushPayload();
  }

  async appendIndicators(rows: IndicatorRow[]): Promise<void> {
    this.indicatorCount += rows.length;
    if (!this.runner) return;
    for (const row of rows) this.pendingRows.push(row);
    if (this.pendingRows.length >= INDICATOR_BATCH) await this.flushIndicators();
  }

  skip(item: SkippedItem): void {
    this.skippedCount += 1;
    if (this.skipped.length < MAX_LISTED_SKIPPED) this.skipped.push(item);
  }

  /** Hex SHA-256 of all payload bytes so far; call once, after the last `appendPayload`. */
  digest(): string {
    return this.hash.digest('hex');
  }

  async flush(): Promise<void> {
    await this.flushPayload();
    await this.flushIndicators();
  }

  private async flushPayload(): Promise<void> {
    if (!this.runner || this.pendingPayloadBytes === 0) return;
    const data = Buffer.concat(this.pendingPayload, this.pendingPayloadBytes);
    this.pendingPayload = [];
    this.pendingPayloadBytes = 0;
    await this.runner.query(`INSERT INTO report_payload_chunks (report_id, seq, data) VALUES ($1, $2, $3)`, [
      this.reportId,
      this.payloadSeq++,
      data,
    ]);
  }

  private async flushIndicators(): Promise<void> {
    if (!this.runner || this.pendingRows.length === 0) return;
    const rows = this.pendingRows;
    this.pendingRows = [];
    for (let start = 0; start < rows.length; start += INDICATOR_BATCH) {
      const batch = rows.slice(start, start + INDICATOR_BATCH);
      await this.runner.query(
        `INSERT INTO report_indicators (${INDICATOR_COLUMNS}) SELECT $1, * FROM ${indicatorUnnest(2)}`,
        [this.reportId, ...indicatorArrays(batch)],
      );
    }
  }
}
