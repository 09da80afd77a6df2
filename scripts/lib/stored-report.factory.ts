import { randomUUID } from 'node:crypto';
import { canonicaliseIndicator, IndicatorType } from '@vigia/indicators';
import { ReportSourceFormat } from '@vigia/database';
import { DataSource } from 'typeorm';
import { IndicatorRow, ReportWriter } from '@vigia/report-intake';

export interface StoredIndicator {
  type: string;
  value: string;
  first_seen?: string;
  last_seen?: string;
  confidence?: number;
  note?: string;
}

export interface StoredReportOptions {
  title?: string;
  tlp?: string;
  tlpRecipients?: string[];
  firstSeen?: string;
  lastSeen?: string;
}

/**
 * Stores a `received` report the way ingest's intake does (report row, then indicator rows through its
 * ReportWriter, canonicalised by libs/indicators), without HTTP or a queue: for tests and benchmarks that load many.
 */
export async function storeReport(
  dataSource: DataSource,
  organisationId: string,
  indicators: readonly StoredIndicator[],
  options: StoredReportOptions = {},
): Promise<string> {
  const id = randomUUID();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await runner.query(
      `INSERT INTO incident_reports (id, organisation_id, source_format, title, rsit_classification, rsit_type,
         severity, tlp, tlp_recipients, first_seen, last_seen, sector_tags, country_tags)
       VALUES ($1, $2, $3, $4, 'malicious-code', 'c2-server', 'high', $5, $6, $7, $8, '{government}', '{UY}')`,
      [
        id,
        organisationId,
        ReportSourceFormat.Json,
        options.title ?? 'Stored report',
        options.tlp ?? 'amber',
        options.tlpRecipients ?? [],
        options.firstSeen ?? '2026-11-20T08:00:00Z',
        options.lastSeen ?? '2026-11-22T18:30:00Z',
      ],
    );
    const writer = new ReportWriter({
      addPayloadChunk: async () => undefined,
      addIndicatorBatch: async (seq, count, indicatorsJson) => {
        await runner.query(
          `INSERT INTO report_indicator_batches (report_id, seq, indicator_count, indicators) VALUES ($1, $2, $3, $4)`,
          [id, seq, count, indicatorsJson],
        );
      },
    });
    await writer.appendIndicators(indicators.map(toIndicatorRow));
    await writer.flush();
    await runner.query(`UPDATE incident_reports SET indicator_count = $2 WHERE id = $1`, [id, writer.indicatorCount]);
    await runner.commitTransaction();
    return id;
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

function toIndicatorRow(indicator: StoredIndicator): IndicatorRow {
  const canonical = canonicaliseIndicator(indicator.type as IndicatorType, indicator.value);
  if (!canonical.ok) throw new Error(`${indicator.type} ${indicator.value}: ${canonical.reason}`);
  return {
    type: indicator.type,
    value: canonical.value,
    isCidr: canonical.isCidr,
    firstSeen: indicator.first_seen ? new Date(indicator.first_seen) : null,
    lastSeen: indicator.last_seen ? new Date(indicator.last_seen) : null,
    confidence: indicator.confidence ?? null,
    note: indicator.note ?? null,
  };
}

/**
 * `count` distinct public-looking indicators of mixed types for `seed` (different seeds never collide): IPv4
 * outside every warninglist, IPv6, domains, URLs, e-mail addresses, hashes.
 */
export function publicIndicators(count: number, seed = 0): StoredIndicator[] {
  return Array.from({ length: count }, (_, index) => syntheticIndicator(seed * 10_000_000 + index));
}

export function syntheticIndicator(n: number): StoredIndicator {
  switch (n % 8) {
    case 0:
    case 1:
      // 45.0.0.0/8 upwards: public unicast space, on no warninglist.
      return { type: 'ipv4', value: `${45 + ((n >>> 24) & 63)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` };
    case 2:
      return { type: 'domain', value: `c2-${n.toString(36)}.bad.example` };
    case 3:
      return { type: 'url', value: `https://drop-${n.toString(36)}.bad.example/p/${n}` };
    case 4:
      return { type: 'sha256', value: n.toString(16).padStart(64, 'b') };
    case 5:
      return { type: 'md5', value: n.toString(16).padStart(32, 'c') };
    case 6:
      return { type: 'email', value: `phish-${n.toString(36)}@bad.example` };
    default:
      return { type: 'ipv6', value: `2a0b:${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}::1` };
  }
}
