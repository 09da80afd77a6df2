import { createHash, Hash } from 'node:crypto';
import { SkippedItem } from '@vigia/database';
import { QueryRunner } from 'typeorm';
import { IndicatorRow, ReportSink } from './report-draft';

const PAYLOAD_CHUNK_BYTES = 1024 * 1024;
const INDICATOR_BATCH = 5000;
/** Beyond this many, skipped items are counted but not listed one by one. */
const MAX_LISTED_SKIPPED = 10_000;

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
        `INSERT INTO report_indicators (report_id, type, value, is_cidr, first_seen, last_seen, confidence, note)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::timestamptz[],
                                  $7::smallint[], $8::text[])`,
        [
          this.reportId,
          batch.map((row) => row.type),
          batch.map((row) => row.value),
          batch.map((row) => row.isCidr),
          batch.map((row) => row.firstSeen),
          batch.map((row) => row.lastSeen),
          batch.map((row) => row.confidence),
          batch.map((row) => row.note),
        ],
      );
    }
  }
}
