import { createHash, Hash } from 'node:crypto';
import { BatchedIndicator, INDICATOR_BATCH_SIZE, ReportPartsWriter, SkippedItem } from '@vigia/database';
import { IndicatorRow, MAX_LISTED_SKIPPED, ReportSink } from './report-draft';

const batched = (row: IndicatorRow): BatchedIndicator => {
  const stored: BatchedIndicator = { type: row.type, value: row.value };
  if (row.isCidr) stored.is_cidr = true;
  if (row.firstSeen) stored.first_seen = row.firstSeen.toISOString();
  if (row.lastSeen) stored.last_seen = row.lastSeen.toISOString();
  if (row.confidence !== null) stored.confidence = row.confidence;
  if (row.note !== null) stored.note = row.note;
  return stored;
};

/** One batch as `report_indicator_batches.indicators` keeps it. */
export const indicatorBatchJson = (rows: IndicatorRow[]): string => JSON.stringify(rows.map(batched));

/** `rows` cut into batches of at most `INDICATOR_BATCH_SIZE`. */
function* indicatorBatches(rows: IndicatorRow[]): Generator<IndicatorRow[]> {
  for (let start = 0; start < rows.length; start += INDICATOR_BATCH_SIZE) {
    yield rows.slice(start, start + INDICATOR_BATCH_SIZE);
  }
}

/** A JSON array of batches (none for no rows), for `json_array_elements`. */
export const indicatorBatchesJson = (rows: IndicatorRow[]): string =>
  `[${Array.from(indicatorBatches(rows), indicatorBatchJson).join(',')}]`;

const PAYLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * Writes one report's payload and indicators through the repository's transaction (`parts`), in batches: payload
 * chunks of 1 MiB and indicators in batches of 5,000 (one JSON row each), so memory stays flat whatever the size.
 * Without `parts` it only counts and hashes (an idempotent replay compares digests).
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
  private batchSeq = 0;

  constructor(private readonly parts: ReportPartsWriter | null) {}

  async appendPayload(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.payloadBytes += chunk.length;
    if (!this.parts) return;
    this.pendingPayload.push(chunk);
    this.pendingPayloadBytes += chunk.length;
    if (this.pendingPayloadBytes >= PAYLOAD_CHUNK_BYTES) await this.flushPayload();
  }

  async appendIndicators(rows: IndicatorRow[]): Promise<void> {
    this.indicatorCount += rows.length;
    if (!this.parts) return;
    for (const row of rows) this.pendingRows.push(row);
    if (this.pendingRows.length >= INDICATOR_BATCH_SIZE) await this.flushIndicators();
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
    if (!this.parts || this.pendingPayloadBytes === 0) return;
    const data = Buffer.concat(this.pendingPayload, this.pendingPayloadBytes);
    this.pendingPayload = [];
    this.pendingPayloadBytes = 0;
    await this.parts.addPayloadChunk(this.payloadSeq++, data);
  }

  private async flushIndicators(): Promise<void> {
    if (!this.parts || this.pendingRows.length === 0) return;
    const rows = this.pendingRows;
    this.pendingRows = [];
    for (const batch of indicatorBatches(rows)) {
      await this.parts.addIndicatorBatch(this.batchSeq++, batch.length, indicatorBatchJson(batch));
    }
  }
}
