import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { maySeeSql, seenByEveryoneWhoSeesSql } from '@vigia/sharing';
import { DataSource } from 'typeorm';
import { DatabaseReader } from '../database-reader';
import { NewAuditEvent } from '../entities/audit-event.rows';
import {
  FeedbackToDeliver,
  IndicatorPage,
  IndicatorReport,
  IndicatorSearch,
  IndicatorSummary,
  IndicatorKey,
  IndicatorVersion,
  LookupHit,
  NewIndicatorFeedback,
  ScopedObject,
  ScoreSettings,
} from '../entities/indicator-search.rows';
import { OutboxJob } from '../entities/outbox-job.entity';
import { appendAuditEvents } from './audit.repository';
import { recordOutboxJobs } from './outbox.repository';
import { SqlExecutor } from './sql-executor';

/** Rows refreshed or rescored per statement. */
const BATCH = 2000;

/**
 * The score of a row of `indicator_search` (alias `s`) now: the SQL twin of libs/indicators `indicatorScore`, with the
 * decay table (`DecayTable` as jsonb) as parameter `decay`.
 */
const scoreSql = (s: string, decay: string): string => `
  round(LEAST(100, GREATEST(0,
          COALESCE(${s}.confidence, 50)
          + LEAST(30, 10 * GREATEST(${s}.org_count - 1, 0))
          + LEAST(15, 5 * ${s}.sighting_org_count)
          + LEAST(10, 5 * ${s}.confirmed_org_count)
          - 30 * ${s}.false_positive_org_count))
        * CASE WHEN COALESCE((${decay}::jsonb -> ${s}.indicator_type ->> 0)::float8, 0) <= 0 OR ${s}.last_seen IS NULL
               THEN 1
               ELSE GREATEST(0, 1 - power(
                      LEAST(1, GREATEST(0, extract(epoch FROM now() - ${s}.last_seen)
                                           / ((${decay}::jsonb -> ${s}.indicator_type ->> 0)::float8 * 86400))),
                      1 / (${decay}::jsonb -> ${s}.indicator_type ->> 1)::float8))
          END)::smallint`;

/**
 * Of the objects `f` about the indicator `t`, a member's sighting or feedback (no report wrote it), counted only where
 * all of `t`'s viewers may see it.
 */
const memberFeedbackSql = (f: string, t: string): string =>
  `${f}.type IN ('sighting', 'opinion') AND ${f}.report_id IS NULL AND ${f}.created_by_org IS NOT NULL
   AND ${seenByEveryoneWhoSeesSql(f, `${f}.created_by_org`, t, `COALESCE(${t}.audience_owner, ${t}.created_by_org)`)}`;

/**
 * Rebuilds the rows of these indicators ($1 ids, $4 their audience keys) from the STIX store; $2 the decay table, $3
 * the false-positive threshold (0: never). Answers the ids this made suppressed. Latest versions are looked up by
 * (id, audience), the key of the latest-version index, and what refers to an indicator by the sighting index: each
 * lookup is a lateral subquery kept apart (OFFSET 0) whose only condition is that key, so it is an index probe
 * whatever the tables' statistics (right after a bulk load they are far off, and the type-and-date index looks
 * cheaper); the other conditions are applied to what it found.
 */
const REFRESH_SQL = `
  WITH target AS (
    SELECT i.* FROM unnest($1::text[], $4::text[]) AS wanted(stix_id, audience_key)
     CROSS JOIN LATERAL (
           SELECT i.stix_id, i.audience_key, i.type AS object_type, i.indicator_type, i.indicator_value, i.tlp,
                  i.audience_owner, i.tlp_recipients, i.created_by_org, i.valid_until, i.suppressed, i.confidence,
                  i.first_seen, i.last_seen
             FROM stix_objects i
            WHERE i.stix_id = wanted.stix_id AND i.audience_key = wanted.audience_key AND i.is_latest
           OFFSET 0) i
     WHERE i.object_type IN ('indicator', 'vulnerability') AND i.indicator_value IS NOT NULL
  ), before AS (
    SELECT b.stix_id, b.fp_suppressed FROM indicator_search b WHERE b.stix_id = ANY($1::text[])
  ), versions AS (
    SELECT DISTINCT v.stix_id, v.report_id
      FROM target t JOIN stix_objects v ON v.stix_id = t.stix_id AND v.audience_key = t.audience_key
     WHERE v.report_id IS NOT NULL
  ), report_facts AS (
    SELECT v.stix_id, array_agg(r.id ORDER BY r.received_at, r.id) AS report_ids,
           array_agg(DISTINCT r.rsit_classification) AS classifications,
           COALESCE(array_agg(DISTINCT r.rsit_type) FILTER (WHERE r.rsit_type IS NOT NULL), '{}') AS rsit_types,
           string_agg(r.title, ' ') AS titles
      FROM versions v JOIN incident_reports r ON r.id = v.report_id GROUP BY v.stix_id
  ), report_countries AS (
    SELECT v.stix_id, array_agg(DISTINCT c) AS countries
      FROM versions v JOIN incident_reports r ON r.id = v.report_id CROSS JOIN LATERAL unnest(r.country_tags) c
     GROUP BY v.stix_id
  ), report_sectors AS (
    SELECT v.stix_id, array_agg(DISTINCT c) AS sectors
      FROM versions v JOIN incident_reports r ON r.id = v.report_id CROSS JOIN LATERAL unnest(r.sector_tags) c
     GROUP BY v.stix_id
  ), statements AS (
    SELECT c.indicator_id AS stix_id, array_agg(c.organisation_id ORDER BY c.organisation_id) AS reporter_ids,
           round(avg(c.confidence))::smallint AS confidence, count(*)::int AS org_count,
           min(c.first_seen) AS first_seen, max(c.last_seen) AS last_seen, string_agg(c.note, ' ') AS notes
      FROM indicator_correlations c WHERE c.indicator_id = ANY($1::text[]) GROUP BY c.indicator_id
  ), feedback AS (
    SELECT t.stix_id, f.type, f.created_by_org, f.created, f.last_seen, f.object, f.stix_id AS object_id
      FROM target t
     CROSS JOIN LATERAL (
           SELECT f.stix_id, f.type, f.created_by_org, f.created, f.last_seen, f.object, f.report_id, f.tlp,
                  f.tlp_recipients
             FROM stix_objects f WHERE f.sighting_of_ref = t.stix_id AND f.is_latest
           OFFSET 0) f
     WHERE ${memberFeedbackSql('f', 't')}
  ), sightings AS (
    SELECT f.stix_id, count(DISTINCT f.created_by_org)::int AS orgs,
           COALESCE(sum(COALESCE((f.object ->> 'count')::int, 1)), 0)::int AS count,
           max(COALESCE(f.last_seen, f.created)) AS last_seen
      FROM feedback f WHERE f.type = 'sighting'
     GROUP BY f.stix_id
  ), opinions AS (
    SELECT latest.stix_id,
           count(*) FILTER (WHERE latest.opinion IN ('strongly-disagree', 'disagree'))::int AS false_positive,
           count(*) FILTER (WHERE latest.opinion IN ('strongly-agree', 'agree'))::int AS confirmed
      FROM (SELECT DISTINCT ON (f.stix_id, f.created_by_org) f.stix_id, f.object ->> 'opinion' AS opinion
              FROM feedback f WHERE f.type = 'opinion'
             ORDER BY f.stix_id, f.created_by_org, f.created DESC, f.object_id DESC) latest
     GROUP BY latest.stix_id
  ), computed AS (
    SELECT t.stix_id, t.audience_key, t.object_type, t.indicator_type, t.indicator_value,
           CASE WHEN t.indicator_type IN ('ipv4', 'ipv6') THEN t.indicator_value::inet END AS address,
           h.host, reverse(h.host) AS host_reversed,
           COALESCE(t.tlp, 'red') AS tlp, t.audience_owner, t.tlp_recipients, t.created_by_org,
           COALESCE(st.reporter_ids, '{}') AS reporter_ids, COALESCE(rf.report_ids, '{}') AS report_ids,
           COALESCE(rf.classifications, '{}') AS classifications, COALESCE(rf.rsit_types, '{}') AS rsit_types,
           COALESCE(rc.countries, '{}') AS countries, COALESCE(rs.sectors, '{}') AS sectors,
           COALESCE(st.confidence, t.confidence) AS confidence, COALESCE(st.org_count, 1) AS org_count,
           COALESCE(si.orgs, 0) AS sighting_org_count, COALESCE(si.count, 0) AS sighting_count,
           COALESCE(op.confirmed, 0) AS confirmed_org_count, COALESCE(op.false_positive, 0) AS false_positive_org_count,
           COALESCE(st.first_seen, t.first_seen) AS first_seen,
           GREATEST(COALESCE(st.last_seen, t.last_seen, now()), si.last_seen) AS last_seen,
           t.valid_until, t.suppressed AS warninglisted,
           ($3::int > 0 AND COALESCE(op.false_positive, 0) >= $3::int) AS fp_suppressed,
           to_tsvector('simple', COALESCE(st.notes, '') || ' ' || COALESCE(rf.titles, '')) AS search_text
      FROM target t
      CROSS JOIN LATERAL (SELECT CASE
               WHEN t.indicator_type = 'domain' THEN t.indicator_value
               WHEN t.indicator_type = 'email' THEN split_part(t.indicator_value, '@', 2)
               WHEN t.indicator_type = 'url'
                 THEN substring(t.indicator_value FROM '^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#\\[\\]]+)')
             END AS host) h
      LEFT JOIN statements st ON st.stix_id = t.stix_id
      LEFT JOIN report_facts rf ON rf.stix_id = t.stix_id
      LEFT JOIN report_countries rc ON rc.stix_id = t.stix_id
      LEFT JOIN report_sectors rs ON rs.stix_id = t.stix_id
      LEFT JOIN sightings si ON si.stix_id = t.stix_id
      LEFT JOIN opinions op ON op.stix_id = t.stix_id
  ), upserted AS (
    INSERT INTO indicator_search AS s (stix_id, audience_key, object_type, indicator_type, indicator_value, address,
           host, host_reversed, tlp, audience_owner, tlp_recipients, created_by_org, reporter_ids, report_ids,
           classifications, rsit_types, countries, sectors, confidence, org_count, sighting_org_count, sighting_count,
           confirmed_org_count, false_positive_org_count, first_seen, last_seen, valid_until, warninglisted,
           fp_suppressed, fp_suppressed_at, score, search_text, refreshed_at)
    SELECT c.stix_id, c.audience_key, c.object_type, c.indicator_type, c.indicator_value, c.address, c.host,
           c.host_reversed, c.tlp, c.audience_owner, c.tlp_recipients, c.created_by_org, c.reporter_ids, c.report_ids,
           c.classifications, c.rsit_types, c.countries, c.sectors, c.confidence, c.org_count, c.sighting_org_count,
           c.sighting_count, c.confirmed_org_count, c.false_positive_org_count, c.first_seen, c.last_seen,
           c.valid_until, c.warninglisted, c.fp_suppressed, CASE WHEN c.fp_suppressed THEN now() END,
           ${scoreSql('c', '$2')}, c.search_text, now()
      FROM computed c
    ON CONFLICT (stix_id) DO UPDATE SET
           audience_key = EXCLUDED.audience_key, object_type = EXCLUDED.object_type,
           indicator_type = EXCLUDED.indicator_type, indicator_value = EXCLUDED.indicator_value,
           address = EXCLUDED.address, host = EXCLUDED.host, host_reversed = EXCLUDED.host_reversed,
           tlp = EXCLUDED.tlp, audience_owner = EXCLUDED.audience_owner, tlp_recipients = EXCLUDED.tlp_recipients,
           created_by_org = EXCLUDED.created_by_org, reporter_ids = EXCLUDED.reporter_ids,
           report_ids = EXCLUDED.report_ids, classifications = EXCLUDED.classifications,
           rsit_types = EXCLUDED.rsit_types, countries = EXCLUDED.countries, sectors = EXCLUDED.sectors,
           confidence = EXCLUDED.confidence, org_count = EXCLUDED.org_count,
           sighting_org_count = EXCLUDED.sighting_org_count, sighting_count = EXCLUDED.sighting_count,
           confirmed_org_count = EXCLUDED.confirmed_org_count,
           false_positive_org_count = EXCLUDED.false_positive_org_count, first_seen = EXCLUDED.first_seen,
           last_seen = EXCLUDED.last_seen, valid_until = EXCLUDED.valid_until,
           warninglisted = EXCLUDED.warninglisted, fp_suppressed = EXCLUDED.fp_suppressed,
           fp_suppressed_at = CASE WHEN NOT EXCLUDED.fp_suppressed THEN NULL
                                   ELSE COALESCE(s.fp_suppressed_at, EXCLUDED.fp_suppressed_at) END,
           score = EXCLUDED.score, search_text = EXCLUDED.search_text, refreshed_at = now()
    RETURNING s.stix_id, s.fp_suppressed
  )
  SELECT u.stix_id FROM upserted u LEFT JOIN before b ON b.stix_id = u.stix_id
   WHERE u.fp_suppressed AND NOT COALESCE(b.fp_suppressed, false)`;

const SUMMARY_COLUMNS = `s.stix_id, s.audience_key, s.object_type, s.indicator_type, s.indicator_value, s.tlp, s.audience_owner,
  s.tlp_recipients::text[] AS tlp_recipients, s.created_by_org, s.reporter_ids::text[] AS reporter_ids,
  s.report_ids::text[] AS report_ids, s.classifications, s.rsit_types, s.countries, s.sectors, s.confidence,
  s.org_count, s.sighting_org_count, s.sighting_count, s.confirmed_org_count, s.false_positive_org_count,
  s.first_seen, s.last_seen, s.valid_until, (s.valid_until IS NULL OR s.valid_until > now()) AS active,
  s.warninglisted, s.fp_suppressed, s.score`;

interface SummaryRecord {
  stix_id: string;
  audience_key: string;
  object_type: string;
  indicator_type: string;
  indicator_value: string;
  tlp: string;
  audience_owner: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
  reporter_ids: string[];
  report_ids: string[];
  classifications: string[];
  rsit_types: string[];
  countries: string[];
  sectors: string[];
  confidence: number | null;
  org_count: number;
  sighting_org_count: number;
  sighting_count: number;
  confirmed_org_count: number;
  false_positive_org_count: number;
  first_seen: Date | null;
  last_seen: Date | null;
  valid_until: Date | null;
  active: boolean;
  warninglisted: boolean;
  fp_suppressed: boolean;
  score: number;
}

const toSummary = (r: SummaryRecord): IndicatorSummary => ({
  stixId: r.stix_id,
  audienceKey: r.audience_key,
  objectType: r.object_type,
  type: r.indicator_type,
  value: r.indicator_value,
  tlp: r.tlp,
  audienceOwner: r.audience_owner,
  recipients: r.tlp_recipients,
  createdByOrg: r.created_by_org,
  reporterIds: r.reporter_ids,
  reportIds: r.report_ids,
  classifications: r.classifications,
  rsitTypes: r.rsit_types,
  countries: r.countries,
  sectors: r.sectors,
  confidence: r.confidence,
  orgCount: r.org_count,
  sightingOrgCount: r.sighting_org_count,
  sightingCount: r.sighting_count,
  confirmedOrgCount: r.confirmed_org_count,
  falsePositiveOrgCount: r.false_positive_org_count,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  validUntil: r.valid_until,
  active: r.active,
  warninglisted: r.warninglisted,
  fpSuppressed: r.fp_suppressed,
  score: r.score,
});

interface ScopedRecord {
  stix_id: string;
  type: string;
  object: Record<string, unknown>;
  tlp: string | null;
  audience_owner: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
  created: Date;
  report_id: string | null;
}

// An object stored without a TLP is read as TLP:RED with no recipients: never shared by mistake.
const toScoped = (r: ScopedRecord): ScopedObject => ({
  stixId: r.stix_id,
  type: r.type,
  object: r.object,
  tlp: r.tlp ?? 'red',
  audienceOwner: r.audience_owner,
  recipients: r.tlp_recipients,
  createdByOrg: r.created_by_org,
  created: r.created,
  reportId: r.report_id,
});

const SCOPED_COLUMNS = `o.stix_id, o.type, o.object, o.tlp, o.audience_owner, o.tlp_recipients::text[] AS tlp_recipients,
  o.created_by_org, o.created, o.report_id`;

const SORT_COLUMN = { last_seen: 's.last_seen', score: 's.score', org_count: 's.org_count' } as const;

/** Builds a parameterised WHERE clause. */
class Conditions {
  readonly parts: string[] = [];
  readonly parameters: unknown[] = [];

  param(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }

  add(sql: string): void {
    this.parts.push(sql);
  }
}

/**
 * `indicator_search` (the analysts' view of indicators, derived from the STIX store) and the members' sightings and
 * feedback (STIX `sighting` and `opinion` rows of `stix_objects` that no report wrote). Every read takes the viewer and
 * filters with libs/sharing `maySeeSql`; figures on a row count only what every one of its viewers may see.
 */
@Injectable()
export class IndicatorRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Runs the portal's reads, for the organisation reading, on the replica when it may answer. */
    private readonly reader: DatabaseReader = DatabaseReader.primaryOnly(dataSource),
  ) {}

  /**
   * Rebuilds the view of these indicators from the STIX store (in batches); answers those it made suppressed (their
   * false-positive feedback reached the threshold). Joins the caller's transaction with `executor`.
   */
  async refresh(
    indicators: readonly IndicatorKey[],
    settings: ScoreSettings,
    executor?: SqlExecutor,
  ): Promise<string[]> {
    if (!executor) return this.dataSource.transaction((manager) => this.refresh(indicators, settings, manager));
    // The planner's cost of this statement is large on a table just loaded (stale statistics) and would start JIT
    // compilation, which takes seconds, for a statement that runs in milliseconds as index probes.
    await executor.query(`SET LOCAL jit = off`);
    const suppressed: string[] = [];
    const keys = [...new Map(indicators.map((key) => [key.stixId, key])).values()].sort((a, b) =>
      a.stixId < b.stixId ? -1 : 1,
    );
    for (let start = 0; start < keys.length; start += BATCH) {
      const batch = keys.slice(start, start + BATCH);
      const rows = (await executor.query(REFRESH_SQL, [
        batch.map((key) => key.stixId),
        JSON.stringify(settings.decay),
        settings.falsePositiveThreshold,
        batch.map((key) => key.audienceKey),
      ])) as { stix_id: string }[];
      suppressed.push(...rows.map((row) => row.stix_id));
    }
    return suppressed;
  }

  /**
   * Builds the rows the view lacks (indicators stored before it existed, or whose refresh job was lost), in id order
   * and batches; answers how many.
   */
  async refreshMissing(settings: ScoreSettings): Promise<number> {
    let after = '';
    let built = 0;
    for (;;) {
      const keys = (await this.dataSource.query(
        `SELECT o.stix_id, o.audience_key FROM stix_objects o
          WHERE o.is_latest AND o.stix_id > $1 AND o.type IN ('indicator', 'vulnerability')
            AND o.indicator_value IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM indicator_search s WHERE s.stix_id = o.stix_id)
          ORDER BY o.stix_id LIMIT ${BATCH}`,
        [after],
      )) as { stix_id: string; audience_key: string }[];
      if (keys.length === 0) return built;
      await this.refresh(
        keys.map((key) => ({ stixId: key.stix_id, audienceKey: key.audience_key })),
        settings,
      );
      built += keys.length;
      after = keys[keys.length - 1]!.stix_id;
    }
  }

  /** Ages every score (the nightly job): in batches by id, so no statement holds many rows for long. */
  async rescoreAll(decay: ScoreSettings['decay']): Promise<number> {
    let after = '';
    let changed = 0;
    for (;;) {
      const [row] = (await this.dataSource.query(
        `WITH batch AS (
           SELECT stix_id FROM indicator_search WHERE stix_id > $1 ORDER BY stix_id LIMIT ${BATCH}
         ), updated AS (
           UPDATE indicator_search s SET score = ${scoreSql('s', '$2')}
             FROM batch WHERE s.stix_id = batch.stix_id AND s.score IS DISTINCT FROM ${scoreSql('s', '$2')}
           RETURNING 1
         )
         SELECT (SELECT max(stix_id) FROM batch) AS last, (SELECT count(*)::int FROM updated) AS changed`,
        [after, JSON.stringify(decay)],
      )) as { last: string | null; changed: number }[];
      changed += row.changed;
      if (row.last === null) return changed;
      after = row.last;
    }
  }

  /** A page of the indicators the viewer may see, matching every filter, in keyset order. */
  async search(search: IndicatorSearch): Promise<IndicatorPage> {
    const where = new Conditions();
    const viewer = where.param(search.viewerId);
    where.add(maySeeSql('s', viewer));
    const f = search.filters;
    if (f.types?.length) where.add(`s.indicator_type = ANY(${where.param(f.types)}::text[])`);
    if (f.values?.length) where.add(`s.indicator_value = ANY(${where.param(f.values)}::text[])`);
    if (f.withinCidr) where.add(`s.address <<= ${where.param(f.withinCidr)}::inet`);
    if (f.containingIp) where.add(`s.address >>= ${where.param(f.containingIp)}::inet`);
    if (f.domain) {
      const reversed = [...f.domain].reverse().join('');
      // The domain itself, or anything ending in ".domain": byte order puts '/' right after '.'.
      where.add(
        `(s.host_reversed = ${where.param(reversed)} OR (s.host_reversed > ${where.param(`${reversed}.`)}
          AND s.host_reversed < ${where.param(`${reversed}/`)}))`,
      );
    }
    if (f.urlHost) {
      where.add(`s.indicator_type = 'url' AND s.host_reversed = ${where.param([...f.urlHost].reverse().join(''))}`);
    }
    if (f.classifications?.length) where.add(`s.classifications && ${where.param(f.classifications)}::text[]`);
    if (f.rsitTypes?.length) where.add(`s.rsit_types && ${where.param(f.rsitTypes)}::text[]`);
    if (f.tlps?.length) where.add(`s.tlp = ANY(${where.param(f.tlps)}::text[])`);
    if (f.reporterIds?.length) where.add(`s.reporter_ids && ${where.param(f.reporterIds)}::uuid[]`);
    if (f.countries?.length) where.add(`s.countries && ${where.param(f.countries)}::text[]`);
    if (f.sectors?.length) where.add(`s.sectors && ${where.param(f.sectors)}::text[]`);
    if (f.firstSeenFrom) where.add(`s.first_seen >= ${where.param(f.firstSeenFrom)}`);
    if (f.firstSeenTo) where.add(`s.first_seen < ${where.param(f.firstSeenTo)}`);
    if (f.lastSeenFrom) where.add(`s.last_seen >= ${where.param(f.lastSeenFrom)}`);
    if (f.lastSeenTo) where.add(`s.last_seen < ${where.param(f.lastSeenTo)}`);
    if (f.activeOnly) where.add(`(s.valid_until IS NULL OR s.valid_until > now())`);
    if (f.minOrgCount !== undefined) where.add(`s.org_count >= ${where.param(f.minOrgCount)}`);
    if (f.minScore !== undefined) where.add(`s.score >= ${where.param(f.minScore)}`);
    if (f.suppressed !== undefined) {
      where.add(`${f.suppressed ? '' : 'NOT '}(s.warninglisted OR s.fp_suppressed)`);
    }
    if (f.text) where.add(`s.search_text @@ plainto_tsquery('simple', ${where.param(f.text)})`);
    const column = SORT_COLUMN[search.sort];
    if (search.after) {
      where.add(
        `(${column}, s.stix_id) < (${where.param(search.after.sortValue)}, ${where.param(search.after.stixId)})`,
      );
    }
    // A timestamp goes into the cursor to the microsecond, as stored: cut to milliseconds (a Date), the next page
    // would skip every row later in the same millisecond, such as the rows one refresh wrote at its now().
    const sortValue =
      search.sort === 'last_seen' ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : column;
    const rows = (await this.reader.read(search.viewerId, (source) =>
      source.query(
        `SELECT ${SUMMARY_COLUMNS}, ${sortValue} AS sort_value FROM indicator_search s
          WHERE ${where.parts.join(' AND ')}
          ORDER BY ${column} DESC, s.stix_id DESC LIMIT ${Math.floor(search.limit) + 1}`,
        where.parameters,
      ),
    )) as (SummaryRecord & { sort_value: string | number })[];
    const items = rows.slice(0, search.limit);
    const last = rows.length > search.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map(toSummary),
      next: last
        ? {
            sortValue: last.sort_value,
            stixId: last.stix_id,
          }
        : null,
    };
  }

  /** The indicator, if the viewer may see it (otherwise undefined, as for one that does not exist). */
  async findVisible(viewerId: string, stixId: string): Promise<IndicatorSummary | undefined> {
    const [row] = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT ${SUMMARY_COLUMNS} FROM indicator_search s WHERE s.stix_id = $2 AND ${maySeeSql('s', '$1')}`,
        [viewerId, stixId],
      ),
    )) as SummaryRecord[];
    return row && toSummary(row);
  }

  /** Every stored version of the indicator (its audience's), newest first; read for `viewerId`. */
  async findVersions(viewerId: string, stixId: string): Promise<IndicatorVersion[]> {
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT v.modified, v.report_id, v.object FROM stix_objects v
          WHERE v.stix_id = $1 AND v.audience_key = (SELECT audience_key FROM indicator_search WHERE stix_id = $1)
          ORDER BY v.modified DESC`,
        [stixId],
      ),
    )) as { modified: Date; report_id: string | null; object: Record<string, unknown> }[];
    return rows.map((row) => ({ modified: row.modified, reportId: row.report_id, object: row.object }));
  }

  /**
   * The objects about the indicator the viewer may see: its SCOs (`scoIds`, in its audience), the sightings (reports'
   * and members') and the members' feedback.
   */
  async findRelated(viewerId: string, stixId: string, scoIds: readonly string[]): Promise<ScopedObject[]> {
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT ${SCOPED_COLUMNS} FROM indicator_search i
           JOIN stix_objects o ON o.is_latest
            AND ((o.sighting_of_ref = i.stix_id AND o.type IN ('sighting', 'opinion'))
                 OR (o.stix_id = ANY($3::text[]) AND o.audience_key = i.audience_key))
          WHERE i.stix_id = $2 AND ${maySeeSql('o', '$1')}
          ORDER BY o.created, o.stix_id`,
        [viewerId, stixId, scoIds],
      ),
    )) as ScopedRecord[];
    return rows.map(toScoped);
  }

  /** The reports that wrote a version of it, those the viewer may see. */
  async findVisibleReports(viewerId: string, reportIds: readonly string[]): Promise<IndicatorReport[]> {
    if (reportIds.length === 0) return [];
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT r.id, r.organisation_id, r.title, r.rsit_classification, r.rsit_type, r.tlp,
                r.tlp_recipients::text[] AS tlp_recipients, r.received_at
           FROM (SELECT *, organisation_id AS audience_owner FROM incident_reports WHERE id = ANY($2::uuid[])) r
          WHERE ${maySeeSql('r', '$1')}
          ORDER BY r.received_at, r.id`,
        [viewerId, reportIds],
      ),
    )) as {
      id: string;
      organisation_id: string;
      title: string;
      rsit_classification: string;
      rsit_type: string | null;
      tlp: string;
      tlp_recipients: string[];
      received_at: Date;
    }[];
    return rows.map((row) => ({
      id: row.id,
      organisationId: row.organisation_id,
      title: row.title,
      classification: row.rsit_classification,
      type: row.rsit_type,
      tlp: row.tlp,
      recipients: row.tlp_recipients,
      receivedAt: row.received_at,
    }));
  }

  /** Names of these organisations, by id; read for `viewerId` when given (the portal), else on the primary. */
  async organisationNames(ids: readonly string[], viewerId?: string): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(`SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]),
    )) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The indicators the viewer may see with one of these canonical values, each with the value it matched. */
  async lookup(viewerId: string, values: readonly string[]): Promise<LookupHit[]> {
    if (values.length === 0) return [];
    const rows = await this.reader.read(viewerId, (source) =>
      source.transaction(async (manager) => {
        // Thousands of index probes cost enough in the planner's eyes to start JIT compilation, slower than the probes.
        await manager.query(`SET LOCAL jit = off`);
        return (await manager.query(
          `SELECT ${SUMMARY_COLUMNS} FROM indicator_search s
            WHERE s.indicator_value = ANY($2::text[]) AND ${maySeeSql('s', '$1')}`,
          [viewerId, [...new Set(values)]],
        )) as SummaryRecord[];
      }),
    );
    return rows.map((row) => ({ value: row.indicator_value, type: row.indicator_type, indicator: toSummary(row) }));
  }

  /**
   * Stores a member's sighting or feedback and brings the indicator's view up to date, in one transaction that also
   * appends `audit` and the jobs `jobsFor` makes (told whether this took the indicator past the false-positive
   * threshold). The indicator's row is locked first, so feedback on one indicator is counted one at a time. After the
   * commit, the author's write position is recorded for the read replica.
   */
  async recordFeedback(
    feedback: NewIndicatorFeedback,
    settings: ScoreSettings,
    audit: NewAuditEvent,
    jobsFor: (suppressedNow: boolean) => OutboxJob[],
  ): Promise<{ suppressedNow: boolean; jobs: OutboxJob[] }> {
    const recorded = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM indicator_search WHERE stix_id = $1 FOR UPDATE`, [feedback.indicatorId]);
      await manager.query(
        `INSERT INTO stix_objects (stix_id, audience_key, modified, audience_owner, type, created, object, tlp,
                tlp_recipients, created_by_org, indicator_type, indicator_value, sighting_of_ref, first_seen, last_seen)
         VALUES ($1, $2, ($3::jsonb ->> 'modified')::timestamptz, $4, $5, ($3::jsonb ->> 'created')::timestamptz,
                 $3::jsonb, $6, $7::uuid[], $4, $8, $9, $10, $11, $12)`,
        [
          feedback.stixId,
          feedback.audienceKey,
          JSON.stringify(feedback.object),
          feedback.organisationId,
          feedback.type,
          feedback.tlp,
          feedback.recipients,
          feedback.indicatorType,
          feedback.indicatorValue,
          feedback.indicatorId,
          feedback.firstSeen ?? null,
          feedback.lastSeen ?? null,
        ],
      );
      const suppressed = await this.refresh(
        [{ stixId: feedback.indicatorId, audienceKey: feedback.indicatorAudienceKey }],
        settings,
        manager,
      );
      const suppressedNow = suppressed.includes(feedback.indicatorId);
      await appendAuditEvents(manager, [audit]);
      const jobs = jobsFor(suppressedNow);
      await recordOutboxJobs(manager, jobs);
      return { suppressedNow, jobs };
    });
    // The portal reads the indicator back in the same request: its organisation's reads must see this commit.
    await this.reader.recordWrite(feedback.organisationId);
    return recorded;
  }

  /**
   * What delivering a member's sighting or feedback needs: the object, its indicator, its author's name, and the
   * organisations with a statement about the indicator (active, other than the author) with their webhook endpoints
   * (per distinct URL the oldest enabled endpoint of their active subscriptions).
   */
  async findFeedbackToDeliver(objectId: string): Promise<FeedbackToDeliver | undefined> {
    const [object] = (await this.dataSource.query(
      `SELECT ${SCOPED_COLUMNS}, o.sighting_of_ref FROM stix_objects o
        WHERE o.stix_id = $1 AND o.is_latest AND o.type IN ('sighting', 'opinion') AND o.report_id IS NULL`,
      [objectId],
    )) as (ScopedRecord & { sighting_of_ref: string })[];
    if (!object || !object.created_by_org) return undefined;
    const [indicator] = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM indicator_search s WHERE s.stix_id = $1`,
      [object.sighting_of_ref],
    )) as SummaryRecord[];
    if (!indicator) return undefined;
    const producers = (await this.dataSource.query(
      `SELECT o.id AS organisation_id, o.name,
              COALESCE((SELECT array_agg(oldest.id ORDER BY oldest.created_at, oldest.id)
                          FROM (SELECT DISTINCT ON (e.url) e.id, e.created_at
                                  FROM webhook_endpoints e
                                  JOIN subscriptions sub ON sub.id = e.subscription_id AND sub.active
                                 WHERE e.organisation_id = o.id AND e.disabled_at IS NULL
                                 ORDER BY e.url, e.created_at, e.id) oldest), '{}')::text[] AS webhook_endpoint_ids,
              COALESCE((SELECT json_agg(json_build_object('address', channel.address, 'locale', channel.locale,
                                                          'pgpPublicKey', channel.pgp_public_key))
                          FROM (SELECT DISTINCT ON (lower(c.address)) c.address, c.locale, c.pgp_public_key
                                  FROM subscription_email_channels c
                                  JOIN subscriptions sub ON sub.id = c.subscription_id AND sub.active
                                 WHERE c.organisation_id = o.id
                                 ORDER BY lower(c.address), c.created_at, c.id) channel), '[]') AS email_channels
         FROM organisations o
        WHERE o.status = 'active' AND o.id <> $2
          AND o.id IN (SELECT c.organisation_id FROM indicator_correlations c WHERE c.indicator_id = $1)
        ORDER BY o.name, o.id`,
      [object.sighting_of_ref, object.created_by_org],
    )) as {
      organisation_id: string;
      name: string;
      webhook_endpoint_ids: string[];
      email_channels: { address: string; locale: string; pgpPublicKey: string | null }[];
    }[];
    const names = await this.organisationNames([object.created_by_org]);
    return {
      object: toScoped(object),
      indicator: toSummary(indicator),
      authorName: names.get(object.created_by_org) ?? '',
      producers: producers.map((row) => ({
        organisationId: row.organisation_id,
        name: row.name,
        webhookEndpointIds: row.webhook_endpoint_ids,
        emailChannels: row.email_channels,
      })),
    };
  }

  /** Of these indicator ids, those fan-out must skip: past the false-positive threshold. */
  async suppressedAmong(stixIds: readonly string[]): Promise<Set<string>> {
    if (stixIds.length === 0) return new Set();
    const rows = (await this.dataSource.query(
      `SELECT stix_id FROM indicator_search WHERE stix_id = ANY($1::text[]) AND fp_suppressed`,
      [stixIds],
    )) as { stix_id: string }[];
    return new Set(rows.map((row) => row.stix_id));
  }

  /** Current scores of these indicator ids (absent: not in the view yet). */
  async scoresOf(stixIds: readonly string[]): Promise<Map<string, number>> {
    if (stixIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT stix_id, score FROM indicator_search WHERE stix_id = ANY($1::text[])`,
      [stixIds],
    )) as { stix_id: string; score: number }[];
    return new Map(rows.map((row) => [row.stix_id, row.score]));
  }
}
