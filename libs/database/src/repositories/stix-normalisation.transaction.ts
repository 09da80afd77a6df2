import { TlpLevel, isTlpLevel } from '@vigia/indicators';
import { StixTimestamp } from '@vigia/stix';
import type { PoolClient, QueryResultRow } from 'pg';
import { ReportSourceFormat, ReportStatus } from '../entities/incident-report.entity';
import { ReportToNormalise } from '../entities/incident-report.rows';
import { OrganisationSummary } from '../entities/organisation.rows';
import { OutboxJob } from '../entities/outbox-job.entity';
import { BatchedIndicator } from '../entities/report-indicator.entity';
import { alertableStixObjectSql } from '../entities/stix-object.entity';
import {
  Correlation,
  ImportOutcome,
  ImportedObjectRow,
  LockRow,
  RetiredVersions,
  StixObjectRow,
} from '../entities/stix-object.rows';
import { insertOutboxJobsSql, outboxJobParameters, recordOutboxJobs } from './outbox.repository';

const STIX_COLUMNS = `stix_id, modified, type, created, object, tlp, tlp_recipients, created_by_org, report_id,
  indicator_type, indicator_value, is_cidr, confidence, valid_from, valid_until, sighting_of_ref, org_count,
  first_seen, last_seen, suppressed, suppressed_by, audience_key, audience_owner`;

/**
 * A batch arrives column by column ($1…$22, see `batchParameters`) with the objects as one JSON array ($5), each
 * serialised once: about half the bytes and half the server time of one JSON record per row. Rows that only lock
 * (`createOrLock`) carry no type, times or object.
 */
const STIX_ROWS = `
  SELECT r.stix_id, COALESCE(r.modified, '-infinity'), COALESCE(r.type, 'locked'), COALESCE(r.created, '-infinity'),
         r.object::jsonb, r.tlp, r.tlp_recipients::uuid[], r.created_by_org, r.report_id, r.indicator_type,
         r.indicator_value, r.is_cidr, r.confidence, r.valid_from, r.valid_until, r.sighting_of_ref, r.org_count,
         r.first_seen, r.last_seen, r.suppressed_by IS NOT NULL, r.suppressed_by, r.audience_key, r.audience_owner
    FROM ROWS FROM (unnest($1::text[]), unnest($2::timestamptz[]), unnest($3::text[]), unnest($4::timestamptz[]),
         json_array_elements($5::json), unnest($6::text[]), unnest($7::text[]), unnest($8::uuid[]), unnest($9::uuid[]),
         unnest($10::text[]), unnest($11::text[]), unnest($12::boolean[]), unnest($13::smallint[]),
         unnest($14::timestamptz[]), unnest($15::timestamptz[]), unnest($16::text[]), unnest($17::integer[]),
         unnest($18::timestamptz[]), unnest($19::timestamptz[]), unnest($20::text[]), unnest($21::text[]),
         unnest($22::uuid[]))
      AS r(stix_id, modified, type, created, object, tlp, tlp_recipients, created_by_org, report_id, indicator_type,
           indicator_value, is_cidr, confidence, valid_from, valid_until, sighting_of_ref, org_count, first_seen,
           last_seen, suppressed_by, audience_key, audience_owner)`;

// One report counted in the organisation's statement about each indicator: the first report inserts it, later ones
// widen its window, increment its count and replace its confidence, note and level with their own.
const COUNT_REPORT = `
  INSERT INTO indicator_correlations AS c
         (indicator_id, organisation_id, first_seen, last_seen, report_count, last_report_id, created_at, updated_at,
          indicator_type, indicator_value, tlp, audience_key, audience_owner, tlp_recipients, confidence, note)
  SELECT v.indicator_id, $1, v.first_seen, v.last_seen, 1, $2, $3, $3, v.indicator_type, v.indicator_value, $7, $8,
         $9, $10, v.confidence, v.note
    FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[], $11::text[], $12::text[], $13::smallint[],
                $14::text[]) AS v(indicator_id, first_seen, last_seen, indicator_type, indicator_value, confidence, note)
  ON CONFLICT (indicator_id, organisation_id) DO UPDATE
     SET first_seen = LEAST(c.first_seen, EXCLUDED.first_seen),
         last_seen = GREATEST(c.last_seen, EXCLUDED.last_seen),
         report_count = c.report_count + 1,
         last_report_id = EXCLUDED.last_report_id,
         updated_at = EXCLUDED.updated_at,
         tlp = EXCLUDED.tlp,
         confidence = EXCLUDED.confidence,
         note = EXCLUDED.note`;

// Advisory lock keys of normalisation attempts: hashtextextended of this prefix and the attempt's claim.
const CLAIM_LOCK_PREFIX = 'vigia:normalise:';

interface ReportRecord {
  id: string;
  status: ReportStatus;
  source_format: ReportSourceFormat;
  organisation_id: string;
  title: string;
  description: string;
  rsit_classification: string;
  rsit_type: string | null;
  severity: string;
  tlp: string;
  tlp_recipients: string[];
  first_seen: Date | null;
  last_seen: Date | null;
  sector_tags: string[];
  country_tags: string[];
  received_at: Date;
  organisation_name: string;
  organisation_country: string | null;
  organisation_sector: string | null;
  organisation_updated_at: Date;
}

interface RetiredRecord {
  stix_id: string;
  type: string;
  modified: StixTimestamp;
  created: StixTimestamp;
  created_by_org: string;
  tlp: string;
  tlp_recipients: string[];
  confidence: number | null;
  description: string | null;
  valid_from: StixTimestamp | null;
  valid_until: StixTimestamp | null;
  org_count: number | null;
  first_seen: StixTimestamp;
  last_seen: StixTimestamp;
}

interface CorrelationRecord {
  indicator_id: string;
  inserted: boolean;
  first_seen: StixTimestamp;
  last_seen: StixTimestamp;
  report_count: number;
  created_at: StixTimestamp;
}

/**
 * The SQL of normalisation, on the one connection of a report's transaction. Every write takes a whole batch in one
 * statement. Locking rule: the only statement that waits for other workers is `createOrLock`, which takes its rows
 * in STIX id order; everything written later in the transaction belongs to indicators already locked there.
 */
export class StixNormalisationTransaction {
  constructor(private readonly client: PoolClient) {}

  async lockReport(reportId: string): Promise<ReportToNormalise | undefined> {
    const [record] = await this.rows<ReportRecord>(
      `SELECT r.id, r.status, r.source_format, r.organisation_id, r.title, r.description, r.rsit_classification, r.rsit_type,
              r.severity, r.tlp, r.tlp_recipients, r.first_seen, r.last_seen, r.sector_tags, r.country_tags,
              r.received_at, o.name AS organisation_name, o.country_code AS organisation_country,
              o.sector AS organisation_sector, o.updated_at AS organisation_updated_at
         FROM incident_reports r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.id = $1
          FOR UPDATE OF r`,
      [reportId],
    );
    return record ? toReport(record) : undefined;
  }

  /** The organisation a report comes from, as its identity needs it. */
  async organisationOfReport(reportId: string): Promise<OrganisationSummary | undefined> {
    const [record] = await this.rows<OrganisationSummary>(
      `SELECT o.id, o.name, o.country_code AS "countryCode", o.sector, o.updated_at AS "updatedAt"
         FROM incident_reports r JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1`,
      [reportId],
    );
    return record;
  }

  /** The report's indicators as ingest stored them, in the order submitted. */
  async reportIndicators(reportId: string): Promise<BatchedIndicator[]> {
    const batches = await this.rows<{ indicators: BatchedIndicator[] }>(
      `SELECT indicators FROM report_indicator_batches WHERE report_id = $1 ORDER BY seq`,
      [reportId],
    );
    return batches.flatMap((batch) => batch.indicators);
  }

  /** Objects that never change once stored (markings, one identity version). */
  async insertIfAbsent(rows: readonly StixObjectRow[]): Promise<void> {
    await this.client.query(
      `INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS} ON CONFLICT DO NOTHING`,
      batchParameters(rows),
    );
  }

  /** Makes `modified` the latest version of an object that is versioned outside the indicator locks (identities). */
  async insertLatestVersion(row: StixObjectRow): Promise<void> {
    await this.client.query(
      `UPDATE stix_objects SET is_latest = false
        WHERE stix_id = $1 AND audience_key = $3 AND is_latest AND modified < $2`,
      [row.stix_id, row.modified, row.audience_key],
    );
    await this.insertIfAbsent([row]);
  }

  /**
   * Marks this transaction as the one holding `claim` (`StixObjectRepository.claimValues`): held until it ends, so
   * later jobs that share values with it can wait for it in PostgreSQL (`awaitClaims`), where deadlock detection sees
   * the wait.
   */
  async holdClaimLock(claim: string): Promise<void> {
    await this.client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${CLAIM_LOCK_PREFIX}${claim}`]);
  }

  /** Waits until the transactions holding these claims have ended (taking and at once releasing their lock). */
  async awaitClaims(claims: readonly string[]): Promise<void> {
    if (claims.length === 0) return;
    await this.client.query(
      `SELECT pg_advisory_lock_shared(job.key), pg_advisory_unlock_shared(job.key)
         FROM (SELECT hashtextextended($1 || claim, 0) AS key FROM unnest($2::text[]) AS claim) AS job`,
      [CLAIM_LOCK_PREFIX, plainArray(claims)],
    );
  }

  /** Which of these objects have a latest version (a hint: one may appear before `createOrLock` runs). */
  async existing(audienceKey: string, stixIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.rows<{ stix_id: string }>(
      `SELECT stix_id FROM stix_objects WHERE is_latest AND audience_key = $2 AND stix_id = ANY($1::text[])`,
      [plainArray(stixIds), audienceKey],
    );
    return new Set(rows.map((row) => row.stix_id));
  }

  /**
   * Inserts version 1 of every object that has no latest version yet, and locks the latest version of every other
   * one (DO UPDATE … WHERE false locks without writing). Rows must come in the one order every worker follows (by
   * the STIX id of the value they belong to), so two reports sharing values wait for each other but never deadlock.
   * A `LockRow` stands for an object known to exist (latest versions are replaced, never removed); were one ever
   * inserted, the transaction fails rather than store it. Returns the ids inserted.
   */
  async createOrLock(rows: readonly (StixObjectRow | LockRow)[]): Promise<Set<string>> {
    const inserted = await this.rows<{ stix_id: string; type: string }>(
      `INSERT INTO stix_objects AS s (${STIX_COLUMNS}) ${STIX_ROWS}
       ON CONFLICT (stix_id, audience_key) WHERE is_latest DO UPDATE SET is_latest = s.is_latest WHERE false
       RETURNING s.stix_id, s.type`,
      batchParameters(rows),
    );
    return new Set(
      inserted.map((row) => {
        if (row.type === 'locked') throw new Error(`Latest version of ${row.stix_id} vanished before it was locked`);
        return row.stix_id;
      }),
    );
  }

  /** Takes the latest flag from these objects (already locked by this transaction) and returns what they held. */
  async retireLatest(audienceKey: string, stixIds: readonly string[]): Promise<RetiredVersions> {
    const retired: RetiredVersions = { indicators: new Map(), sightings: new Map() };
    if (stixIds.length === 0) return retired;
    const records = await this.rows<RetiredRecord>(
      `UPDATE stix_objects SET is_latest = false
        WHERE is_latest AND audience_key = $2 AND stix_id = ANY($1::text[])
    RETURNING stix_id, type, ${stixTime('modified')}, ${stixTime('created')}, created_by_org, tlp, tlp_recipients,
              confidence, object->>'description' AS description, ${stixTime('valid_from')},
              ${stixTime('valid_until')}, org_count, ${stixTime('first_seen')}, ${stixTime('last_seen')}`,
      [plainArray(stixIds), audienceKey],
    );
    for (const record of records) {
      const scope = { tlp: tlpOf(record.tlp), recipients: record.tlp_recipients };
      if (record.type === 'sighting') {
        retired.sightings.set(record.stix_id, { stixId: record.stix_id, modified: record.modified, scope });
        continue;
      }
      retired.indicators.set(record.stix_id, {
        stixId: record.stix_id,
        modified: record.modified,
        created: record.created,
        createdByOrg: record.created_by_org,
        scope,
        confidence: record.confidence,
        description: record.description,
        validFrom: record.valid_from,
        validUntil: record.valid_until,
        orgCount: record.org_count ?? 1,
        firstSeen: record.first_seen,
        lastSeen: record.last_seen,
      });
    }
    return retired;
  }

  /** Counts this report for indicators it created: their correlation rows are new, nothing needs returning. */
  async countNew(report: StatementReport, values: readonly StatedValue[]): Promise<void> {
    await this.client.query(COUNT_REPORT, correlationParameters(report, values));
  }

  /** Counts this report in the organisation's correlation row of each indicator; returns the rows as they now are. */
  async countReport(report: StatementReport, values: readonly StatedValue[]): Promise<Map<string, Correlation>> {
    const records = await this.rows<CorrelationRecord>(
      `${COUNT_REPORT}
       RETURNING c.indicator_id, (c.xmax = 0) AS inserted, ${stixTime('c.first_seen')},
                 ${stixTime('c.last_seen')}, c.report_count, ${stixTime('c.created_at')}`,
      correlationParameters(report, values),
    );
    return new Map(
      records.map((record) => [
        record.indicator_id,
        {
          inserted: record.inserted,
          firstSeen: record.first_seen,
          lastSeen: record.last_seen,
          reportCount: record.report_count,
          createdAt: record.created_at,
        },
      ]),
    );
  }

  /** New latest versions of objects whose previous latest version `retireLatest` just retired. */
  async insertVersions(rows: readonly StixObjectRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.query(`INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS}`, batchParameters(rows));
  }

  /**
   * Stores the STIX report, marks the incident report normalised and records the jobs that follow (its fan-out), in
   * one statement.
   */
  async finishReport(
    reportId: string,
    reportRow: StixObjectRow,
    now: StixTimestamp,
    jobs: readonly OutboxJob[],
  ): Promise<void> {
    await this.client.query(
      `WITH finished AS (
         UPDATE incident_reports SET status = 'normalised', normalised_at = $23, failure_reason = NULL,
                updated_at = now()
          WHERE id = $24
       ), jobs AS (${insertOutboxJobsSql(25)})
       INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS} ON CONFLICT DO NOTHING`,
      [...batchParameters([reportRow]), now, reportId, ...outboxJobParameters(jobs)],
    );
  }

  /** Of these indicator ids, those the report created or updated that may still raise a warning. */
  async alertableOfReport(reportId: string, stixIds: readonly string[]): Promise<string[]> {
    const rows = await this.rows<{ stix_id: string }>(
      `SELECT latest.stix_id FROM stix_objects latest
        WHERE latest.stix_id = ANY($1::text[]) AND ${alertableStixObjectSql('latest')}
          AND EXISTS (SELECT 1 FROM stix_objects version WHERE version.stix_id = latest.stix_id AND version.report_id = $2)
        ORDER BY latest.stix_id`,
      [stixIds, reportId],
    );
    return rows.map((row) => row.stix_id);
  }

  /**
   * Stores a report's imported objects, each version keyed by its own `modified`, in STIX id order. Per (id,
   * audience) the newest version sent becomes the latest when it is newer than the stored latest (which it retires);
   * other versions are kept as earlier versions; a version already stored, and a `once` object already present, are
   * left as they are. New objects are inserted, existing ones locked, in one statement (as `createOrLock`).
   */
  async importObjects(rows: readonly ImportedObjectRow[]): Promise<ImportOutcome> {
    const outcome: ImportOutcome = { stored: 0, alreadyStored: 0 };
    if (rows.length === 0) return outcome;
    const byKey = new Map<string, ImportedObjectRow[]>();
    for (const row of rows) {
      const key = `${row.stix_id} ${row.audience_key}`;
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const newest: ImportedObjectRow[] = [];
    const earlier: ImportedObjectRow[] = [];
    for (const versions of byKey.values()) {
      versions.sort((a, b) => Date.parse(b.modified) - Date.parse(a.modified));
      const [first, ...rest] = versions as [ImportedObjectRow, ...ImportedObjectRow[]];
      newest.push(first);
      if (!first.once) earlier.push(...rest);
    }
    newest.sort((a, b) => (a.stix_id < b.stix_id ? -1 : a.stix_id > b.stix_id ? 1 : 0));
    const inserted = await this.rows<{ stix_id: string; audience_key: string }>(
      `INSERT INTO stix_objects AS s (${IMPORTED_COLUMNS}) ${IMPORTED_ROWS}
       ON CONFLICT (stix_id, audience_key) WHERE is_latest DO UPDATE SET is_latest = s.is_latest WHERE false
       RETURNING s.stix_id, s.audience_key`,
      [JSON.stringify(newest.map(importedRecord))],
    );
    outcome.stored += inserted.length;
    const insertedKeys = new Set(inserted.map((row) => `${row.stix_id} ${row.audience_key}`));
    const locked = newest.filter((row) => !insertedKeys.has(`${row.stix_id} ${row.audience_key}`));
    // Locked now: compare with the stored latest version.
    const compared = await this.rows<{ stix_id: string; audience_key: string; direction: number }>(
      `SELECT s.stix_id, s.audience_key, sign(extract(epoch FROM r.modified - s.modified))::int AS direction
         FROM jsonb_to_recordset($1::jsonb) AS r(stix_id text, audience_key text, modified timestamptz)
         JOIN stix_objects s ON s.stix_id = r.stix_id AND s.audience_key = r.audience_key AND s.is_latest`,
      [JSON.stringify(locked.map(({ stix_id, audience_key, modified }) => ({ stix_id, audience_key, modified })))],
    );
    const orderOf = new Map(compared.map((row) => [`${row.stix_id} ${row.audience_key}`, row.direction]));
    const newer: ImportedObjectRow[] = [];
    for (const row of locked) {
      const order = orderOf.get(`${row.stix_id} ${row.audience_key}`) ?? 0;
      if (row.once || order === 0) outcome.alreadyStored += 1;
      else if (order > 0) newer.push(row);
      else earlier.push(row);
    }
    if (newer.length > 0) {
      await this.client.query(
        `UPDATE stix_objects s SET is_latest = false
           FROM jsonb_to_recordset($1::jsonb) AS r(stix_id text, audience_key text)
          WHERE s.stix_id = r.stix_id AND s.audience_key = r.audience_key AND s.is_latest`,
        [JSON.stringify(newer.map(({ stix_id, audience_key }) => ({ stix_id, audience_key })))],
      );
      await this.client.query(`INSERT INTO stix_objects (${IMPORTED_COLUMNS}) ${IMPORTED_ROWS}`, [
        JSON.stringify(newer.map(importedRecord)),
      ]);
      outcome.stored += newer.length;
    }
    if (earlier.length > 0) {
      const stored = await this.rows<{ stix_id: string }>(
        `INSERT INTO stix_objects (${IMPORTED_COLUMNS}, is_latest) SELECT *, false FROM (${IMPORTED_ROWS}) AS r
         ON CONFLICT DO NOTHING RETURNING stix_id`,
        [JSON.stringify(earlier.map(importedRecord))],
      );
      outcome.stored += stored.length;
      outcome.alreadyStored += earlier.length - stored.length;
    }
    return outcome;
  }

  /** The raw submission as ingest stored it (its chunks in order). */
  async reportPayload(reportId: string): Promise<Buffer> {
    const chunks = await this.rows<{ data: Buffer }>(
      `SELECT data FROM report_payload_chunks WHERE report_id = $1 ORDER BY seq`,
      [reportId],
    );
    return Buffer.concat(chunks.map((chunk) => chunk.data));
  }

  /** Records jobs in this transaction's outbox. */
  async recordJobs(jobs: readonly OutboxJob[]): Promise<void> {
    await recordOutboxJobs(this.client, jobs);
  }

  private async rows<T extends QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }
}

const IMPORTED_COLUMNS = `stix_id, modified, type, created, object, tlp, tlp_recipients, created_by_org, report_id,
  confidence, valid_from, valid_until, audience_key, audience_owner, imported, value_matchable`;

/** Imported rows as one JSON array ($1), read in the order given (the lock order). */
const IMPORTED_ROWS = `
  SELECT r.stix_id, r.modified, r.type, r.created, r.object, r.tlp, r.tlp_recipients::uuid[], r.created_by_org,
         r.report_id, r.confidence, r.valid_from, r.valid_until, r.audience_key, r.audience_owner, r.imported,
         r.value_matchable
    FROM jsonb_to_recordset($1::jsonb)
      AS r(stix_id text, modified timestamptz, type text, created timestamptz, object jsonb, tlp text,
           tlp_recipients text, created_by_org uuid, report_id uuid, confidence smallint, valid_from timestamptz,
           valid_until timestamptz, audience_key text, audience_owner uuid, imported boolean, value_matchable boolean)`;

const importedRecord = ({ once: _once, tlp_recipients, ...row }: ImportedObjectRow): Record<string, unknown> => ({
  ...row,
  tlp_recipients: `{${tlp_recipients.join(',')}}`,
});

/** The parameters of `STIX_ROWS`: one array per column, and the objects as one JSON array. */
function batchParameters(rows: readonly (StixObjectRow | LockRow)[]): unknown[] {
  const plain = (pick: (row: Partial<StixObjectRow>) => string | number | boolean | undefined): string =>
    plainArray(rows.map(pick));
  return [
    plain((row) => row.stix_id),
    plain((row) => row.modified),
    plain((row) => row.type),
    plain((row) => row.created),
    JSON.stringify(rows.map((row: Partial<StixObjectRow>) => row.object ?? null)),
    plain((row) => row.tlp),
    rows.map((row: Partial<StixObjectRow>) => `{${(row.tlp_recipients ?? []).join(',')}}`),
    plain((row) => row.created_by_org),
    plain((row) => row.report_id),
    plain((row) => row.indicator_type),
    // Values may hold any character: node-postgres quotes them.
    rows.map((row: Partial<StixObjectRow>) => row.indicator_value ?? null),
    plain((row) => row.is_cidr ?? false),
    plain((row) => row.confidence),
    plain((row) => row.valid_from),
    plain((row) => row.valid_until),
    plain((row) => row.sighting_of_ref),
    plain((row) => row.org_count),
    plain((row) => row.first_seen),
    plain((row) => row.last_seen),
    plain((row) => row.suppressed_by),
    plain((row) => row.audience_key),
    plain((row) => row.audience_owner),
  ];
}

/**
 * An array literal of values that never need quoting (STIX ids, UUIDs, timestamps, type and list names, numbers):
 * written directly, it skips node-postgres's per-element escaping, which costs more than the rest of a batch.
 */
function plainArray(values: readonly (string | number | boolean | undefined | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) literal += ',';
    const value = values[index];
    literal += value === undefined || value === null ? 'NULL' : String(value);
  }
  return `${literal}}`;
}

/** A report's statements: whose, which scope, and per value its window, confidence and note. */
export interface StatementReport {
  id: string;
  organisationId: string;
  now: StixTimestamp;
  tlp: string;
  audienceKey: string;
  audienceOwner: string | null;
  recipients: readonly string[];
}

/** One value of a report, as its statement records it. */
export interface StatedValue {
  stixId: string;
  type: string;
  value: string;
  firstSeen: StixTimestamp;
  lastSeen: StixTimestamp;
  confidence?: number;
  note?: string;
}

function correlationParameters(report: StatementReport, values: readonly StatedValue[]): unknown[] {
  return [
    report.organisationId,
    report.id,
    report.now,
    plainArray(values.map((value) => value.stixId)),
    plainArray(values.map((value) => value.firstSeen)),
    plainArray(values.map((value) => value.lastSeen)),
    report.tlp,
    report.audienceKey,
    report.audienceOwner,
    plainArray(report.recipients),
    plainArray(values.map((value) => value.type)),
    // Values and notes may hold any character: node-postgres quotes them.
    values.map((value) => value.value),
    plainArray(values.map((value) => value.confidence)),
    values.map((value) => value.note ?? null),
  ];
}

function toReport(record: ReportRecord): ReportToNormalise {
  return {
    id: record.id,
    status: record.status,
    format: record.source_format,
    organisation: {
      id: record.organisation_id,
      name: record.organisation_name,
      countryCode: record.organisation_country,
      sector: record.organisation_sector,
      updatedAt: record.organisation_updated_at,
    },
    scope: { ownerId: record.organisation_id, tlp: tlpOf(record.tlp), recipients: record.tlp_recipients },
    title: record.title,
    description: record.description,
    classification: record.rsit_classification,
    type: record.rsit_type,
    severity: record.severity,
    sectors: record.sector_tags,
    countries: record.country_tags,
    firstSeen: record.first_seen,
    lastSeen: record.last_seen,
    receivedAt: record.received_at,
  };
}

/** A stored TLP level; anything else is a corrupt row, never read as a level it is not. */
function tlpOf(tlp: string): TlpLevel {
  if (!isTlpLevel(tlp)) throw new Error(`Unknown TLP level "${tlp}" in a stored row`);
  return tlp;
}

/** A timestamp column as a STIX timestamp string, formatted by PostgreSQL rather than parsed and re-formatted here. */
function stixTime(column: string, alias = column.replace(/^\w+\./, '')): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${alias}`;
}
