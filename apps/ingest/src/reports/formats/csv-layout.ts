import { Transform, TransformCallback } from 'node:stream';
import { ProblemDetail, validationException } from '@vigia/common';
import { parse as parseCsvLine } from 'csv-parse/sync';

/** The columns Vigia reads from a CSV of indicators. */
export const CSV_COLUMNS = ['type', 'value', 'first_seen', 'last_seen', 'confidence', 'note'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * How to read a feed's own columns (`columns=url:value,dateadded:first_seen,threat:note`): each pair names a column
 * of the file and the Vigia column it fills; several may fill `note` (joined). `indicatorType` gives the type of
 * every row when the file has no type column (`indicator_type=url`). Columns not named are ignored.
 */
export interface CsvColumnMapping {
  sources: ReadonlyMap<CsvColumn, readonly string[]>;
  indicatorType?: string;
}

/** Where each Vigia column is read in a record, and whether the first record read was data rather than header. */
export interface CsvLayout {
  indexes: ReadonlyMap<CsvColumn, readonly number[]>;
  indicatorType?: string;
  firstRecordIsData: boolean;
}

const REQUIRED_COLUMNS: readonly CsvColumn[] = ['type', 'value'];
const MAX_MAPPING_LENGTH = 2000;

/** Reads the `columns` and `indicator_type` fields (query or form); undefined when neither is given. */
export function readColumnMapping(fields: Record<string, unknown>): CsvColumnMapping | undefined {
  const columns = single(fields.columns);
  const indicatorType = single(fields.indicator_type)?.trim().toLowerCase();
  if (columns === undefined && indicatorType === undefined) return undefined;
  const problems: ProblemDetail[] = [];
  const sources = new Map<CsvColumn, string[]>();
  if (columns !== undefined && columns.length > MAX_MAPPING_LENGTH) {
    throw validationException([{ path: 'columns', reason: `longer than ${MAX_MAPPING_LENGTH} characters` }]);
  }
  for (const pair of (columns ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const separator = pair.lastIndexOf(':');
    const source = headerName(pair.slice(0, Math.max(separator, 0)));
    const target = pair
      .slice(separator + 1)
      .trim()
      .toLowerCase() as CsvColumn;
    if (separator <= 0 || source === '') {
      problems.push({ path: 'columns', value: pair, reason: 'expected <file column>:<Vigia column>' });
    } else if (!CSV_COLUMNS.includes(target)) {
      problems.push({
        path: 'columns',
        value: pair,
        reason: `the Vigia column must be one of ${CSV_COLUMNS.join(', ')}`,
      });
    } else if (sources.has(target) && target !== 'note') {
      problems.push({ path: 'columns', value: pair, reason: `${target} is mapped twice (only note takes several)` });
    } else {
      sources.set(target, [...(sources.get(target) ?? []), source]);
    }
  }
  if (indicatorType !== undefined && sources.has('type')) {
    problems.push({ path: 'indicator_type', reason: 'give a type column or indicator_type, not both' });
  }
  const covered = new Set([...sources.keys(), ...(indicatorType === undefined ? [] : ['type'])]);
  // Only indicator_type given: the file's own header names the other columns as usual.
  if (columns !== undefined) {
    for (const column of REQUIRED_COLUMNS.filter((required) => !covered.has(required))) {
      problems.push({
        path: 'columns',
        reason: `nothing fills "${column}"${column === 'type' ? ' (map a column to type, or give indicator_type)' : ''}`,
      });
    }
  }
  if (problems.length > 0) throw validationException(problems);
  return { sources, indicatorType };
}

/**
 * The layout of a file from its first record and the last `#` comment line before it. Without a mapping the first
 * record is the header: `type` and `value` required (unless indicator_type is given), the other known columns
 * optional, nothing else. With a mapping the header is the first record when it names every mapped column, else
 * the comment line just before it when that does (abuse.ch writes its header as `# id,dateadded,url,...`) and the
 * first record is data.
 */
export function resolveLayout(
  firstRecord: readonly string[],
  lastComment: string | undefined,
  mapping: CsvColumnMapping | undefined,
): CsvLayout {
  const header = firstRecord.map(headerName);
  if (mapping === undefined || mapping.sources.size === 0) {
    return { ...standardLayout(header, firstRecord, mapping?.indicatorType), firstRecordIsData: false };
  }
  const wanted = [...mapping.sources.values()].flat();
  if (wanted.every((name) => header.includes(name))) {
    return { indexes: mappedIndexes(header, mapping), indicatorType: mapping.indicatorType, firstRecordIsData: false };
  }
  const commented = lastComment === undefined ? [] : commentedHeader(lastComment);
  const missing = wanted.filter((name) => !commented.includes(name));
  if (commented.length > 0 && missing.length === 0) {
    return {
      indexes: mappedIndexes(commented, mapping),
      indicatorType: mapping.indicatorType,
      firstRecordIsData: true,
    };
  }
  throw validationException(
    wanted
      .filter((name) => !header.includes(name))
      .map((name) => ({
        path: 'csv.header',
        value: firstRecord.join(',').slice(0, 200),
        reason: `no column "${name}" in the header (nor in a "# ..." header comment just before the data)`,
      })),
  );
}

function standardLayout(
  header: string[],
  rawHeader: readonly string[],
  indicatorType: string | undefined,
): Omit<CsvLayout, 'firstRecordIsData'> {
  const required = REQUIRED_COLUMNS.filter((column) => !(column === 'type' && indicatorType !== undefined));
  const problems = [
    ...required.filter((column) => !header.includes(column)).map((column) => `missing column "${column}"`),
    ...header
      .filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column))
      .map((column) => `unknown column "${column}"`),
  ];
  if (indicatorType !== undefined && header.includes('type')) problems.push('a type column and indicator_type');
  if (problems.length > 0) {
    throw validationException(
      problems.map((reason) => ({
        path: 'csv.header',
        value: rawHeader.join(',').slice(0, 200),
        reason: `${reason}; expected ${CSV_COLUMNS.join(',')}, or a column mapping (columns=<file column>:<Vigia column>,...)`,
      })),
    );
  }
  const indexes = new Map<CsvColumn, number[]>();
  header.forEach((name, index) => indexes.set(name as CsvColumn, [index]));
  return { indexes, indicatorType };
}

function mappedIndexes(header: readonly string[], mapping: CsvColumnMapping): Map<CsvColumn, number[]> {
  return new Map(
    [...mapping.sources].map(([target, names]) => [target, names.map((name) => header.indexOf(name))] as const),
  );
}

/** `# "first_seen_utc","ioc_id",...` or `# id,dateadded,url` → the column names; [] when it is no header. */
function commentedHeader(comment: string): string[] {
  try {
    const [fields] = parseCsvLine(comment.replace(/^\s*#+/, ''), {
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      to_line: 1,
    }) as string[][];
    return (fields ?? []).map(headerName);
  } catch {
    return [];
  }
}

/** Column names compare trimmed, lower-cased and without surrounding quotes. */
function headerName(name: string): string {
  return name
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
}

const single = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;

const HASH = 0x23;
const NEWLINE = 0x0a;
/** A longer comment line is kept only in part (it can only matter as a header). */
const MAX_COMMENT_KEPT = 64 * 1024;

/**
 * Blanks `#` comment lines out of a CSV byte stream before the parser sees it, keeping their line breaks so line
 * numbers stay right (the parser skips empty lines), and remembers the last comment line before the first data
 * line, which may be the header. A chunk with no line starting with `#` passes through untouched.
 */
export class CsvCommentFilter extends Transform {
  /** The last comment line seen before the first line of data (the candidate header), decoded. */
  lastCommentBeforeData?: string;
  private atLineStart = true;
  private inComment = false;
  private sawData = false;
  private comment: Buffer[] = [];
  private commentBytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inComment && !(this.atLineStart && chunk[0] === HASH) && chunk.indexOf('\n#') === -1) {
      if (!this.sawData && chunk.length > 0) this.noteData(chunk);
      this.atLineStart = chunk[chunk.length - 1] === NEWLINE;
      done(null, chunk);
      return;
    }
    const kept: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const lineEnd = end === -1 ? chunk.length : end;
      const continuing = this.inComment || (this.atLineStart && chunk[start] === HASH);
      if (continuing) {
        if (!this.sawData) this.keepComment(chunk.subarray(start, lineEnd));
        this.inComment = end === -1;
        if (end !== -1) {
          kept.push(chunk.subarray(end, end + 1));
          this.finishComment();
        }
      } else {
        const line = chunk.subarray(start, end === -1 ? chunk.length : end + 1);
        if (!this.sawData) this.noteData(line);
        kept.push(line);
      }
      this.atLineStart = end !== -1;
      start = end === -1 ? chunk.length : end + 1;
    }
    done(null, Buffer.concat(kept));
  }

  private noteData(text: Buffer): void {
    // Blank lines before the data are not data.
    if (text.toString('latin1').trim() !== '') this.sawData = true;
  }

  private keepComment(part: Buffer): void {
    if (this.commentBytes >= MAX_COMMENT_KEPT) return;
    const room = part.subarray(0, MAX_COMMENT_KEPT - this.commentBytes);
    this.comment.push(room);
    this.commentBytes += room.length;
  }

  private finishComment(): void {
    if (!this.sawData && this.comment.length > 0) {
      this.lastCommentBeforeData = Buffer.concat(this.comment).toString('utf8').replace(/\r$/, '');
    }
    this.comment = [];
    this.commentBytes = 0;
  }

  override _flush(done: TransformCallback): void {
    if (this.inComment) this.finishComment();
    done();
  }
}
