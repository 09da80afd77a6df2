import { once } from 'node:events';
import { Readable } from 'node:stream';
import { ErrorCode, printableText, truncateText, VigiaException, validationException } from '@vigia/common';
import { CsvError, parse } from 'csv-parse';
import { canonicaliseCandidate, IndicatorRow, isSkipped, ReportSink, tooManyIndicators } from '@vigia/report-intake';
import { CsvColumn, CsvColumnMapping, CsvCommentFilter, CsvLayout, resolveLayout } from './csv-layout';

const ROW_BATCH = 5000;

/**
 * abuse.ch's `ioc_type` values (ThreatFox) and other common feed spellings → Vigia indicator types, so feeds
 * import without editing. `ip:port` values lose their port (Vigia indicators are addresses).
 */
const FEED_TYPE_ALIASES: Readonly<Record<string, string>> = {
  'ip:port': 'ip',
  ip: 'ip',
  md5_hash: 'md5',
  sha1_hash: 'sha1',
  sha256_hash: 'sha256',
  sha512_hash: 'sha512',
  hostname: 'domain',
  'email-addr': 'email',
};
const PORT_SUFFIX = /^(\[?[0-9a-fA-F:.]+\]?):\d{1,5}$/;

/** A feed's type and value as Vigia reads them: aliases resolved, `ip` split by family, a port dropped. */
function feedTypeAndValue(type: string, value: string): { type: string; value: string } {
  const alias = FEED_TYPE_ALIASES[type.trim().toLowerCase()];
  if (alias === undefined) return { type, value };
  if (alias !== 'ip') return { type: alias, value };
  const withoutPort = type.includes(':') ? (PORT_SUFFIX.exec(value.trim())?.[1] ?? value) : value;
  const address = withoutPort.replace(/^\[(.*)\]$/, '$1');
  return { type: address.includes(':') ? 'ipv6' : 'ipv4', value: address };
}

/** The value of a Vigia column in a record; several note sources are joined. */
function cell(record: readonly string[], layout: CsvLayout, column: CsvColumn): string | undefined {
  const indexes = layout.indexes.get(column);
  if (indexes === undefined) return undefined;
  if (indexes.length === 1) return record[indexes[0] as number];
  const parts = indexes
    .map((index) => record[index])
    .filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * Streams a CSV of indicators into the sink: raw bytes to the payload as they arrive, rows canonicalised and
 * written in batches, bad rows skipped with their line number. `#` comment lines are skipped; a column mapping
 * reads a feed's own columns (csv-layout.ts). Memory stays flat whatever the file size; more than `limitBytes` is
 * refused with 413 (the transaction around it is rolled back).
 */
export async function streamCsvIndicators(
  source: Readable,
  sink: ReportSink,
  limits: { bytes: number; indicators: number },
  mapping?: CsvColumnMapping,
): Promise<void> {
  const limitBytes = limits.bytes;
  let accepted = 0;
  const comments = new CsvCommentFilter();
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    info: true,
    max_record_size: 64 * 1024,
  });
  comments.pipe(parser);
  // Its failures surface through the feeding loop or the parser; destroying it with one must not go unhandled.
  comments.on('error', () => undefined);
  let received = 0;
  const feeding = (async () => {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      received += buffer.length;
      if (received > limitBytes) {
        throw new VigiaException(ErrorCode.PayloadTooLarge, `CSV is larger than the ${limitBytes / 2 ** 20} MiB limit`);
      }
      await sink.appendPayload(buffer);
      if (!comments.write(buffer)) await once(comments, 'drain');
    }
    comments.end();
  })().catch((error: unknown) => {
    parser.destroy(error as Error);
    throw error;
  });

  let rows: IndicatorRow[] = [];
  let layout: CsvLayout | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (layout === undefined) {
        layout = resolveLayout(record, comments.lastCommentBeforeData, mapping);
        if (!layout.firstRecordIsData) continue;
      }
      if (record.some((field) => field.includes(REPLACEMENT_CHARACTER))) {
        sink.skip({
          path: `line ${info.lines}`,
          value: printableText(truncateText(cell(record, layout, 'value') ?? '', 200)),
          reason: 'not valid UTF-8: a character is cut or malformed (the file must be UTF-8)',
        });
        continue;
      }
      const { type, value } = feedTypeAndValue(
        layout.indicatorType ?? cell(record, layout, 'type') ?? '',
        cell(record, layout, 'value') ?? '',
      );
      const outcome = canonicaliseCandidate({
        path: `line ${info.lines}`,
        type,
        value,
        firstSeen: cell(record, layout, 'first_seen'),
        lastSeen: cell(record, layout, 'last_seen'),
        confidence: cell(record, layout, 'confidence'),
        note: cell(record, layout, 'note'),
      });
      if (isSkipped(outcome)) sink.skip(outcome);
      else {
        rows.push(outcome);
        accepted += 1;
        if (accepted > limits.indicators) throw tooManyIndicators(limits.indicators);
      }
      if (rows.length >= ROW_BATCH) {
        await sink.appendIndicators(rows);
        rows = [];
      }
    }
    await feeding;
  } catch (error) {
    comments.destroy(error as Error);
    await feeding.catch(() => undefined);
    throw asCsvProblem(error);
  }
  await sink.appendIndicators(rows);
}

/** What a byte sequence that is not UTF-8 decodes to; a feed sending U+FFFD itself is rare enough to skip too. */
const REPLACEMENT_CHARACTER = '\uFFFD';

function asCsvProblem(error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    return validationException([{ path: line ? `line ${line}` : 'csv', reason: `Malformed CSV: ${error.message}` }]);
  }
  return error;
}
