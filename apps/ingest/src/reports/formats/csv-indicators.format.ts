import { once } from 'node:events';
import { Readable } from 'node:stream';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { CsvError, parse } from 'csv-parse';
import { ReportSink, IndicatorRow } from '../intake/report-draft';
import { canonicaliseCandidate, isSkipped } from './indicator-candidate';

export const CSV_COLUMNS = ['type', 'value', 'first_seen', 'last_seen', 'confidence', 'note'] as const;
const REQUIRED_COLUMNS = ['type', 'value'];
const ROW_BATCH = 5000;

type CsvRecord = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

/** Checks the header row: `type` and `value` are required, the other known columns optional, nothing else. */
function checkHeader(header: string[]): string[] {
  const columns = header.map((column) => column.trim().toLowerCase());
  const problems = [
    ...REQUIRED_COLUMNS.filter((column) => !columns.includes(column)).map((column) => `missing column "${column}"`),
    ...columns
      .filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column))
      .map((column) => `unknown column "${column}"`),
  ];
  if (problems.length > 0) {
    throw validationException(
      problems.map((reason) => ({
        path: 'csv.header',
        value: header.join(','),
        reason: `${reason}; expected ${CSV_COLUMNS.join(',')}`,
      })),
    );
  }
  return columns;
}

/**
 * Streams a CSV of indicators into the sink: raw bytes to the payload as they arrive, rows canonicalised and
 * written in batches, bad rows skipped with their line number. Memory stays flat whatever the file size;
 * more than `limitBytes` is refused with 413 (the transaction around it is rolled back).
 */
export async function streamCsvIndicators(source: Readable, sink: ReportSink, limitBytes: number): Promise<void> {
  const parser = parse({
    bom: true,
    columns: checkHeader,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    info: true,
    max_record_size: 64 * 1024,
  });
  let received = 0;
  const feeding = (async () => {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      received += buffer.length;
      if (received > limitBytes) {
        throw new VigiaException(ErrorCode.PayloadTooLarge, `CSV is larger than the ${limitBytes / 2 ** 20} MiB limit`);
      }
      await sink.appendPayload(buffer);
      if (!parser.write(buffer)) await once(parser, 'drain');
    }
    parser.end();
  })().catch((error: unknown) => {
    parser.destroy(error as Error);
    throw error;
  });

  let rows: IndicatorRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: { lines: number } }>) {
      const outcome = canonicaliseCandidate({
        path: `line ${info.lines}`,
        type: record.type ?? '',
        value: record.value ?? '',
        firstSeen: record.first_seen,
        lastSeen: record.last_seen,
        confidence: record.confidence,
        note: record.note,
      });
      if (isSkipped(outcome)) sink.skip(outcome);
      else rows.push(outcome);
      if (rows.length >= ROW_BATCH) {
        await sink.appendIndicators(rows);
        rows = [];
      }
    }
    await feeding;
  } catch (error) {
    await feeding.catch(() => undefined);
    throw asCsvProblem(error);
  }
  await sink.appendIndicators(rows);
}

function asCsvProblem(error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    return validationException([{ path: line ? `line ${line}` : 'csv', reason: `Malformed CSV: ${error.message}` }]);
  }
  return error;
}
