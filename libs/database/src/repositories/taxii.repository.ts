import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SEVERITIES, severityRank } from '@vigia/indicators';
import { maySeeSql } from '@vigia/sharing';
import { DataSource } from 'typeorm';
import { DatabaseReader } from '../database-reader';
import { appendAuditEvents } from './audit.repository';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { SubscriptionFilters } from '../entities/subscription.rows';
import { TaxiiStatusEntity, TaxiiStatusObject } from '../entities/taxii-status.entity';
import {
  TaxiiCollectionScope,
  TaxiiDeleteOutcome,
  TaxiiPageQuery,
  TaxiiPageRow,
  TaxiiStatusRecord,
  TaxiiVersionFilter,
} from '../entities/taxii.rows';

/** A STIX timestamp with microseconds, in SQL. */
const stixTime = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Versions are served only when every transaction that could still add one before them has ended: `date_added` is
 * a transaction's start, so a writer that began earlier and commits later would otherwise slip in behind a client
 * that already paged past it. The horizon is the start of the oldest open transaction on this database (client
 * backends: the apps' own connections are the writers), or now. A transaction that has written nothing for a minute
 * (a backup's long read, a report) is not a writer and does not hold the horizon back.
 */
const HORIZON = `(SELECT least(now(), min(activity.xact_start)) FROM pg_stat_activity activity
                   WHERE activity.datname = current_database() AND activity.backend_type = 'client backend'
                     AND activity.pid <> pg_backend_pid() AND activity.xact_start IS NOT NULL
                     AND (activity.backend_xid IS NOT NULL OR activity.xact_start > now() - interval '1 minute'))`;

/**
 * On a read replica the horizon cannot be taken where the page is read: its `pg_stat_activity` shows none of the
 * primary's writers. It is taken on the primary with the primary's WAL position; a page may then be read on a
 * replica that has replayed that far (every transaction older than the horizon had committed by then). Horizons of
 * the last seconds are kept, so a replica a few milliseconds behind still answers, with a horizon that much older.
 */
const HORIZON_ON_PRIMARY = `SELECT (${HORIZON})::text AS at,
                                   (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS position`;
const HORIZONS_KEPT_MS = 5_000;
const HORIZONS_KEPT = 32;

interface Horizon {
  /** The horizon (a timestamptz as text, microseconds kept). */
  at: string;
  /** The primary's WAL position when it was taken. */
  position: number;
  takenAt: number;
}

interface PageRecord {
  sort_at: Date;
  sort_seq: string;
  date_added: string;
  seq: string;
  stix_id: string;
  version: string;
  object: string | null;
  tlp: string | null;
}

interface StatusRecord {
  id: string;
  organisation_id: string;
  report_id: string | null;
  accepted: TaxiiStatusObject[];
  refused: TaxiiStatusObject[];
  created_at: Date;
  report_status: string | null;
  failure_reason: string | null;
  skipped: { path: string; reason: string }[] | null;
}

/** Collects the parameters of one statement as it is written. */
class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * TAXII 2.1's reads of `stix_objects` (pages of objects, manifests and versions in (date_added, added_seq) order,
 * served from the stored JSON in one statement per page) and `taxii_statuses`.
 */
@Injectable()
export class TaxiiRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Runs TAXII's reads, for the organisation reading, on the replica when it may answer. */
    private readonly reader: DatabaseReader = DatabaseReader.primaryOnly(dataSource),
  ) {}

  /** Recent horizons taken on the primary, oldest first (only with a read replica). */
  private horizons: Horizon[] = [];

  /** A horizon taken on the primary now, added to the recent ones; answers those still usable, oldest first. */
  private async horizonsFromPrimary(): Promise<Horizon[]> {
    const [row] = (await this.dataSource.query(HORIZON_ON_PRIMARY)) as { at: string; position: string }[];
    const now = Date.now();
    const taken: Horizon = { at: row!.at, position: Number(row!.position), takenAt: now };
    this.horizons = [
      ...this.horizons.filter(
        (horizon) => now - horizon.takenAt < HORIZONS_KEPT_MS && horizon.position <= taken.position,
      ),
      taken,
    ].slice(-HORIZONS_KEPT);
    return this.horizons;
  }

  /**
   * One page (plus one row) of the versions the viewer may see in a collection, in TAXII order. Latest and superseded
   * versions have an index each on (date_added, added_seq); a page of latest versions (the default) reads only the
   * first, and a page that may hold both merges the two ordered scans.
   */
  async page(query: TaxiiPageQuery): Promise<TaxiiPageRow[]> {
    const parameters = new Parameters();
    const viewer = parameters.add(query.viewerId);
    // Without a replica the horizon is computed in the page's own statement, as ever; with one, it is a parameter.
    const horizons = this.reader.replicaConfigured ? await this.horizonsFromPrimary() : [];
    const horizon = horizons.length > 0 ? `${parameters.add(null)}::timestamptz` : HORIZON;
    const horizonIndex = parameters.values.length - 1;
    const where = [`s.date_added < ${horizon}`, maySeeSql('s', viewer), scopeSql(query.scope, viewer, parameters)];
    if (query.after) {
      const at = parameters.add(query.after.dateAdded);
      where.push(
        query.after.seq === null
          ? `s.date_added > ${at}::timestamptz`
          : `(s.date_added, s.added_seq) > (${at}::timestamptz, ${parameters.add(query.after.seq)}::bigint)`,
      );
    }
    if (query.ids.length > 0) where.push(`s.stix_id = ANY(${parameters.add(query.ids)}::text[])`);
    if (query.types.length > 0) where.push(`s.type = ANY(${parameters.add(query.types)}::text[])`);
    const limit = parameters.add(query.rows);
    const branch = (versions: string) =>
      `SELECT s.date_added AS sort_at, s.added_seq AS sort_seq, ${stixTime('s.date_added')} AS date_added,
              s.added_seq::text AS seq, s.stix_id,
              COALESCE(s.object->>'modified', s.object->>'created', ${stixTime('s.modified')}) AS version,
              ${query.withObjects ? 's.object::text' : 'NULL'} AS object, s.tlp
         FROM stix_objects s
        WHERE ${[...where, versions].join('\n          AND ')}
        ORDER BY s.date_added, s.added_seq
        LIMIT ${limit}`;
    const branches = versionBranches(query.versions, parameters).map(branch);
    if (branches.length === 0) return [];
    const sql =
      branches.length === 1
        ? branches[0]!
        : `SELECT * FROM (${branches.map((one) => `(${one})`).join(' UNION ALL ')}) page
            ORDER BY page.sort_at, page.sort_seq LIMIT ${limit}`;
    const rows = (
      horizons.length > 0
        ? await this.reader.readAt(query.viewerId, horizons, (source, chosen) =>
            source.query(
              sql,
              parameters.values.map((value, index) => (index === horizonIndex ? chosen.at : value)),
            ),
          )
        : await this.dataSource.query(sql, parameters.values)
    ) as PageRecord[];
    return rows.map((row) => ({
      dateAdded: row.date_added,
      seq: row.seq,
      id: row.stix_id,
      version: row.version,
      object: row.object,
      tlp: row.tlp,
    }));
  }

  /**
   * Deletes the versions of `stixId` that the owner's organisation wrote and that match `versions` (all when none is
   * given), among those it may see; where an object's latest version goes, the newest remaining one becomes latest.
   */
  async deleteOwned(
    ownerId: string,
    stixId: string,
    versions: TaxiiVersionFilter,
    auditOf: (deleted: number) => NewAuditEvent,
  ): Promise<TaxiiDeleteOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const parameters = new Parameters();
      const owner = parameters.add(ownerId);
      const id = parameters.add(stixId);
      const visible = `s.stix_id = ${id} AND ${maySeeSql('s', owner)}`;
      const versionFilter = versionSql({ versions }, parameters);
      const [counts] = (await manager.query(
        `SELECT count(*)::int AS visible,
                count(*) FILTER (WHERE s.created_by_org = ${owner}::uuid AND ${versionFilter})::int AS owned
           FROM stix_objects s WHERE ${visible}`,
        parameters.values,
      )) as { visible: number; owned: number }[];
      if (!counts || counts.visible === 0) return 'not-found';
      if (counts.owned === 0) return 'not-owner';
      // Locks every version of the object first, in one order, so two deletes of one object cannot interleave.
      await manager.query(
        `SELECT 1 FROM stix_objects s WHERE s.stix_id = $1 ORDER BY s.audience_key, s.modified FOR UPDATE`,
        [stixId],
      );
      // A DELETE through TypeORM answers [rows, count].
      const [gone] = (await manager.query(
        `DELETE FROM stix_objects s
          WHERE ${visible} AND s.created_by_org = ${owner}::uuid AND ${versionFilter}
          RETURNING s.audience_key`,
        parameters.values,
      )) as [{ audience_key: string }[], number];
      await manager.query(
        `UPDATE stix_objects s SET is_latest = true
          WHERE s.stix_id = $1 AND s.audience_key = ANY($2::text[])
            AND s.modified = (SELECT max(o.modified) FROM stix_objects o
                               WHERE o.stix_id = s.stix_id AND o.audience_key = s.audience_key)
            AND NOT EXISTS (SELECT 1 FROM stix_objects l
                             WHERE l.stix_id = s.stix_id AND l.audience_key = s.audience_key AND l.is_latest)`,
        [stixId, [...new Set(gone.map((row) => row.audience_key))]],
      );
      await appendAuditEvents(manager, [auditOf(gone.length)]);
      return 'deleted';
    });
  }

  async insertStatus(status: Pick<TaxiiStatusEntity, 'id' | 'organisationId' | 'reportId' | 'accepted' | 'refused'>) {
    await this.dataSource.query(
      `INSERT INTO taxii_statuses (id, organisation_id, report_id, accepted, refused)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
      [
        status.id,
        status.organisationId,
        status.reportId,
        JSON.stringify(status.accepted),
        JSON.stringify(status.refused),
      ],
    );
  }

  /** The organisation's status with its report's progress; another organisation's is not found. */
  async findStatusOwned(organisationId: string, id: string): Promise<TaxiiStatusRecord | undefined> {
    const [row] = (await this.reader.read(organisationId, (source) =>
      source.query(
        `SELECT t.id, t.organisation_id, t.report_id, t.accepted, t.refused, t.created_at,
                r.status::text AS report_status, r.failure_reason, r.skipped
           FROM taxii_statuses t LEFT JOIN incident_reports r ON r.id = t.report_id
          WHERE t.id = $1 AND t.organisation_id = $2`,
        [id, organisationId],
      ),
    )) as StatusRecord[];
    return (
      row && {
        id: row.id,
        organisationId: row.organisation_id,
        reportId: row.report_id,
        accepted: row.accepted,
        refused: row.refused,
        createdAt: row.created_at,
        reportStatus: row.report_status,
        reportFailureReason: row.failure_reason,
        reportSkipped: row.skipped ?? [],
      }
    );
  }
}

/** The collection's own condition on `s`. */
function scopeSql(scope: TaxiiCollectionScope, viewer: string, parameters: Parameters): string {
  switch (scope.kind) {
    case 'network':
      return 'true';
    case 'mine':
      return `s.created_by_org = ${viewer}::uuid`;
    case 'subscription':
      return subscriptionSql(scope.filters, viewer, parameters);
  }
}

/**
 * A subscription's filters over stored versions: objects about a value (indicators, vulnerabilities, observables,
 * sightings), with the report-level filters read from the report that wrote the version.
 */
function subscriptionSql(filters: SubscriptionFilters, viewer: string, parameters: Parameters): string {
  const conditions = ['s.indicator_type IS NOT NULL'];
  if (filters.indicatorTypes.length > 0) {
    conditions.push(`s.indicator_type = ANY(${parameters.add(filters.indicatorTypes)}::text[])`);
  }
  if (filters.minConfidence !== null) {
    conditions.push(`COALESCE(s.confidence, 0) >= ${parameters.add(filters.minConfidence)}`);
  }
  if (filters.minOrgCount !== null) {
    conditions.push(`COALESCE(s.org_count, 1) >= ${parameters.add(filters.minOrgCount)}`);
  }
  if (!filters.includeOwnReports) conditions.push(`s.created_by_org IS DISTINCT FROM ${viewer}::uuid`);
  if (!filters.acceptsRed) conditions.push(`s.tlp IS DISTINCT FROM 'red'`);
  const { cidrs, asns, domains } = filters.constituency;
  if (cidrs.length + asns.length + domains.length > 0) {
    const inside: string[] = [];
    if (cidrs.length > 0) {
      inside.push(`(CASE WHEN s.indicator_type IN ('ipv4', 'ipv6')
                         THEN s.indicator_value::inet <<= ANY(${parameters.add(cidrs)}::cidr[]) ELSE false END)`);
    }
    if (asns.length > 0) {
      inside.push(
        `(s.indicator_type = 'asn' AND s.indicator_value = ANY(${parameters.add(asns.map(String))}::text[]))`,
      );
    }
    if (domains.length > 0) {
      // Domains by themselves, URLs and e-mail addresses by their host.
      const host = `lower(CASE s.indicator_type
                          WHEN 'domain' THEN s.indicator_value
                          WHEN 'url' THEN substring(s.indicator_value FROM '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)')
                          WHEN 'email' THEN split_part(s.indicator_value, '@', 2)
                        END)`;
      const list = parameters.add(domains);
      inside.push(`EXISTS (SELECT 1 FROM unnest(${list}::text[]) suffix
                            WHERE ${host} = suffix OR ${host} LIKE '%.' || suffix)`);
    }
    conditions.push(`(${inside.join(' OR ')})`);
  }
  const report: string[] = [];
  if (filters.classifications.length > 0) {
    report.push(`r.rsit_classification = ANY(${parameters.add(filters.classifications)}::text[])`);
  }
  if (filters.minSeverity !== null) {
    const minimum = severityRank(filters.minSeverity);
    const accepted = SEVERITIES.filter((severity) => severityRank(severity) >= minimum);
    report.push(`r.severity = ANY(${parameters.add(accepted)}::text[])`);
  }
  if (filters.countries.length > 0) report.push(`r.country_tags && ${parameters.add(filters.countries)}::text[]`);
  if (filters.sectors.length > 0) report.push(`r.sector_tags && ${parameters.add(filters.sectors)}::text[]`);
  if (report.length > 0) {
    conditions.push(`EXISTS (SELECT 1 FROM incident_reports r WHERE r.id = s.report_id AND ${report.join(' AND ')})`);
  }
  return `(${conditions.join(' AND ')})`;
}

/**
 * `match[version]` as the conditions of a latest-versions branch and a superseded-versions branch (each served by its
 * own partial index); a branch no selector can reach is left out.
 */
function versionBranches(versions: TaxiiVersionFilter, parameters: Parameters): string[] {
  const first = `NOT EXISTS (SELECT 1 FROM stix_objects older
                              WHERE older.stix_id = s.stix_id AND older.audience_key = s.audience_key
                                AND older.modified < s.modified)`;
  const exactly =
    versions.exactly.length > 0 ? `s.modified = ANY(${parameters.add(versions.exactly)}::timestamptz[])` : '';
  const latest =
    versions.all || versions.last ? 'true' : [versions.first ? first : '', exactly].filter(Boolean).join(' OR ');
  const superseded = versions.all ? 'true' : [versions.first ? first : '', exactly].filter(Boolean).join(' OR ');
  return [
    ...(latest ? [latest === 'true' ? 's.is_latest' : `s.is_latest AND (${latest})`] : []),
    ...(superseded ? [superseded === 'true' ? 'NOT s.is_latest' : `NOT s.is_latest AND (${superseded})`] : []),
  ];
}

/** `match[version]`: a version is kept if any of the given selectors keeps it. */
function versionSql(query: Pick<TaxiiPageQuery, 'versions'>, parameters: Parameters): string {
  const { versions } = query;
  if (versions.all) return 'true';
  const any: string[] = [];
  if (versions.last) any.push('s.is_latest');
  if (versions.first) {
    any.push(`NOT EXISTS (SELECT 1 FROM stix_objects older
                           WHERE older.stix_id = s.stix_id AND older.audience_key = s.audience_key
                             AND older.modified < s.modified)`);
  }
  if (versions.exactly.length > 0) any.push(`s.modified = ANY(${parameters.add(versions.exactly)}::timestamptz[])`);
  return any.length > 0 ? `(${any.join(' OR ')})` : 'false';
}
