import { ErrorCode, VigiaException } from '@vigia/common';
import { ReportStatus, alertableStixObjectSql } from '@vigia/database';
import { TlpLevel, isTlpLevel } from '@vigia/indicators';
import { StixTimestamp } from '@vigia/stix';
import type { PoolClient, QueryResultRow } from 'pg';
import { ReportIndicatorRow } from './reported-values.mapper';
import {
  Correlation,
  OrganisationSummary,
  ReportSummary,
  StixObjectRow,
  StoredIndicator,
  StoredSighting,
} from './stix-rows.mapper';
import { TlpScope } from './tlp-scope';

/** An incident report locked for normalisation, with its organisation. */
export interface ReportToNormalise extends ReportSummary {
  id: string;
  status: ReportStatus;
  organisation: OrganisationSummary;
  scope: TlpScope;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

const STIX_COLUMNS = `stix_id, modified, type, created, object, tlp, tlp_recipients, created_by_org, report_id,
  indicator_type, indicator_value, is_cidr, confidence, valid_from, valid_until, sighting_of_ref, org_count,
  first_seen, last_seen, suppressed, suppressed_by`;

// A batch arrives as one JSON text ($1), serialised once in the worker and parsed once here; absent keys are NULL.
const STIX_ROWS_FROM_JSON = `
  SELECT r.stix_id, r.modified, r.type, r.created, r.object, r.tlp, COALESCE(r.tlp_recipients, '{}'), r.created_by_org,
         r.report_id, r.indicator_type, r.indicator_value, COALESCE(r.is_cidr, false), r.confidence, r.valid_from,
         r.valid_until, r.sighting_of_ref, r.org_count, r.first_seen, r.last_seen, COALESCE(r.suppressed, false),
         r.suppressed_by
    FROM json_to_recordset($1::json) AS r(stix_id text, modified timestamptz, type text, created timestamptz,
         object jsonb, tlp text, tlp_recipients uuid[], created_by_org uuid, report_id uuid, indicator_type text,
         indicator_value text, is_cidr boolean, confidence smallint, valid_from timestamptz, valid_until timestamptz,
         sighting_of_ref text, org_count integer, first_seen timestamptz, last_seen timestamptz, suppressed boolean,
         suppressed_by text)`;

interface ReportRecord {
  id: string;
  status: ReportStatus;
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
  modified: Date;
  created: Date;
  created_by_org: string;
  tlp: string;
  tlp_recipients: string[];
  confidence: number | null;
  description: string | null;
  valid_from: Date | null;
  valid_until: Date | null;
  org_count: number | null;
  first_seen: Date;
  last_seen: Date;
}

interface CorrelationRecord {
  indicator_id: string;
  inserted: boolean;
  first_seen: Date;
  last_seen: Date;
  report_count: number;
  created_at: Date;
}

/** The latest versions this report replaces, by STIX id. */
export interface RetiredVersions {
  indicators: Map<string, StoredIndicator>;
  sightings: Map<string, StoredSighting>;
}

/**
 * The SQL of normalisation, on the one connection of a report's transaction. Every write takes a whole batch in one
 * statement. Locking rule: the only statement that waits for other workers is `createOrLock`, which takes its rows
 * in STIX id order; everything written later in the transaction belongs to indicators already locked there.
 */
export class StixStore {
  constructor(private readonly client: PoolClient) {}

  async lockReport(reportId: string): Promise<ReportToNormalise | undefined> {
    const [record] = await this.rows<ReportRecord>(
      `SELECT r.id, r.status, r.organisation_id, r.title, r.description, r.rsit_classification, r.rsit_type,
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

  reportIndicators(reportId: string): Promise<ReportIndicatorRow[]> {
    return this.rows<ReportIndicatorRow>(
      `SELECT type, value, is_cidr, first_seen, last_seen, confidence, note FROM report_indicators WHERE report_id = $1`,
      [reportId],
    );
  }

  /** Objects that never change once stored (markings, one identity version). */
  async insertIfAbsent(rows: readonly StixObjectRow[]): Promise<void> {
    await this.client.query(
      `INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS_FROM_JSON} ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /** Makes `modified` the latest version of an object that is versioned outside the indicator locks (identities). */
  async insertLatestVersion(row: StixObjectRow): Promise<void> {
    await this.client.query(
      `UPDATE stix_objects SET is_latest = false WHERE stix_id = $1 AND is_latest AND modified < $2`,
      [row.stix_id, row.modified],
    );
    await this.insertIfAbsent([row]);
  }

  /**
   * Inserts version 1 of every object that has no latest version yet, and locks the latest version of every other
   * one (DO UPDATE … WHERE false locks without writing). Rows must be sorted by STIX id: every worker then takes
   * its locks in the same order, so two reports sharing values wait for each other but never deadlock. Returns the
   * ids inserted.
   */
  async createOrLock(rows: readonly StixObjectRow[]): Promise<Set<string>> {
    const inserted = await this.rows<{ stix_id: string }>(
      `INSERT INTO stix_objects AS s (${STIX_COLUMNS}) ${STIX_ROWS_FROM_JSON}
       ON CONFLICT (stix_id) WHERE is_latest DO UPDATE SET is_latest = s.is_latest WHERE false
       RETURNING s.stix_id`,
      [JSON.stringify(rows)],
    );
    return new Set(inserted.map((row) => row.stix_id));
  }

  /** Takes the latest flag from these objects (already locked by this transaction) and returns what they held. */
  async retireLatest(stixIds: readonly string[]): Promise<RetiredVersions> {
    const retired: RetiredVersions = { indicators: new Map(), sightings: new Map() };
    if (stixIds.length === 0) return retired;
    const records = await this.rows<RetiredRecord>(
      `UPDATE stix_objects SET is_latest = false
        WHERE is_latest AND stix_id = ANY($1::text[])
    RETURNING stix_id, type, modified, created, created_by_org, tlp, tlp_recipients, confidence,
              object->>'description' AS description, valid_from, valid_until, org_count, first_seen, last_seen`,
      [stixIds],
    );
    for (const record of records) {
      const scope = { tlp: tlpOf(record.tlp), recipients: record.tlp_recipients };
      if (record.type === 'sighting') {
        retired.sightings.set(record.stix_id, { stixId: record.stix_id, modified: iso(record.modified), scope });
        continue;
      }
      retired.indicators.set(record.stix_id, {
        stixId: record.stix_id,
        modified: iso(record.modified),
        created: iso(record.created),
        createdByOrg: record.created_by_org,
        scope,
        confidence: record.confidence,
        description: record.description,
        validFrom: record.valid_from && iso(record.valid_from),
        validUntil: record.valid_until && iso(record.valid_until),
        orgCount: record.org_count ?? 1,
        firstSeen: iso(record.first_seen),
        lastSeen: iso(record.last_seen),
      });
    }
    return retired;
  }

  /** Counts this report in the organisation's correlation row of each indicator; returns the rows as they now are. */
  async countReport(
    report: { id: string; organisationId: string; now: StixTimestamp },
    values: readonly { stixId: string; firstSeen: StixTimestamp; lastSeen: StixTimestamp }[],
  ): Promise<Map<string, Correlation>> {
    const records = await this.rows<CorrelationRecord>(
      `INSERT INTO indicator_correlations AS c
              (indicator_id, organisation_id, first_seen, last_seen, report_count, last_report_id, created_at, updated_at)
       SELECT v.indicator_id, $1, v.first_seen, v.last_seen, 1, $2, $3, $3
         FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS v(indicator_id, first_seen, last_seen)
       ON CONFLICT (indicator_id, organisation_id) DO UPDATE
          SET first_seen = LEAST(c.first_seen, EXCLUDED.first_seen),
              last_seen = GREATEST(c.last_seen, EXCLUDED.last_seen),
              report_count = c.report_count + 1,
              last_report_id = EXCLUDED.last_report_id,
              updated_at = EXCLUDED.updated_at
       RETURNING c.indicator_id, (c.xmax = 0) AS inserted, c.first_seen, c.last_seen, c.report_count, c.created_at`,
      [
        report.organisationId,
        report.id,
        report.now,
        values.map((value) => value.stixId),
        values.map((value) => value.firstSeen),
        values.map((value) => value.lastSeen),
      ],
    );
    return new Map(
      records.map((record) => [
        record.indicator_id,
        {
          inserted: record.inserted,
          firstSeen: iso(record.first_seen),
          lastSeen: iso(record.last_seen),
          reportCount: record.report_count,
          createdAt: iso(record.created_at),
        },
      ]),
    );
  }

  /** New latest versions of objects whose previous latest version `retireLatest` just retired. */
  async insertVersions(rows: readonly StixObjectRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.query(`INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS_FROM_JSON}`, [
      JSON.stringify(rows),
    ]);
  }

  /** Stores the STIX report and marks the incident report normalised, in one statement. */
  async finishReport(reportId: string, reportRow: StixObjectRow, now: StixTimestamp): Promise<void> {
    await this.client.query(
      `WITH finished AS (
         UPDATE incident_reports SET status = 'normalised', normalised_at = $2, failure_reason = NULL, updated_at = now()
          WHERE id = $3
       )
       INSERT INTO stix_objects (${STIX_COLUMNS}) ${STIX_ROWS_FROM_JSON} ON CONFLICT DO NOTHING`,
      [JSON.stringify([reportRow]), now, reportId],
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

  private async rows<T extends QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }
}

function toReport(record: ReportRecord): ReportToNormalise {
  return {
    id: record.id,
    status: record.status,
    organisation: {
      id: record.organisation_id,
      name: record.organisation_name,
      countryCode: record.organisation_country,
      sector: record.organisation_sector,
      updatedAt: record.organisation_updated_at,
    },
    scope: { tlp: tlpOf(record.tlp), recipients: record.tlp_recipients },
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

function tlpOf(tlp: string): TlpLevel {
  if (!isTlpLevel(tlp)) throw new VigiaException(ErrorCode.ValidationFailed, `Unknown TLP level "${tlp}"`);
  return tlp;
}

const iso = (date: Date): StixTimestamp => date.toISOString();
