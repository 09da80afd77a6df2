import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IndicatorType } from '@vigia/indicators';
import { maySeeSql } from '@vigia/sharing';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import {
  CorrelatedValueRow,
  IndicatorToMatch,
  PatternIndicatorToMatch,
  Statement,
  StoredObject,
  ValueClaim,
  VisibleObjectVersion,
} from '../entities/stix-object.rows';
import { DatabaseReader } from '../database-reader';
import { StixNormalisationTransaction } from './stix-normalisation.transaction';

// Claims are made one at a time across every worker process: the order of claims is the order jobs wait in.
const CLAIMS_LOCK = 'vigia:normalise:claims';
// A claim outlives its transaction only when a worker died holding it; such a claim only makes later jobs write
// its values in their second phase, and is cleared after this long.
const ABANDONED_CLAIM_AGE = '1 hour';

interface StoredRecord {
  object: Record<string, unknown>;
  tlp: string | null;
  audience_owner: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
}

interface IndicatorRecord {
  stix_id: string;
  indicator_type: IndicatorType;
  indicator_value: string;
  confidence: number | null;
  valid_until: Date | null;
}

/** `stix_objects` and `indicator_correlations`: what normalisation writes and the read paths serve. */
@Injectable()
export class StixObjectRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Runs the portal's object and report-export reads, for the organisation reading, on the replica when it may. */
    private readonly reader: DatabaseReader = DatabaseReader.primaryOnly(dataSource),
  ) {}

  /**
   * Runs `work` in one transaction on one connection, and commits if it returns. The pg client itself is used:
   * batch statements go out without TypeORM's wrapping, errors without their parameters.
   */
  async normalisation<T>(work: (transaction: StixNormalisationTransaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await client.query('BEGIN');
      const result = await work(new StixNormalisationTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Records that the attempt `claim` (whose transaction already holds `holdClaimLock(claim)`) is writing these
   * values, in its own short transaction, and answers which earlier claims still held share values with it. Claims
   * are made one at a time in every worker process, so every job waits only for jobs that claimed before it, and
   * waits can never form a cycle however many processes normalise at once. `releaseClaim` once the job has ended.
   */
  async claimValues(claim: string, valueIds: readonly string[]): Promise<ValueClaim> {
    const held = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [CLAIMS_LOCK]);
      await manager.query(`DELETE FROM normalisation_claims WHERE claimed_at < now() - $1::interval`, [
        ABANDONED_CLAIM_AGE,
      ]);
      return (await manager.query(
        `WITH mine AS (SELECT DISTINCT value_id FROM unnest($2::text[]) AS value_id),
              claimed AS (INSERT INTO normalisation_claims (value_id, claim) SELECT value_id, $1 FROM mine)
         SELECT c.value_id, c.claim::text AS claim FROM normalisation_claims c JOIN mine USING (value_id)`,
        [claim, valueIds],
      )) as { value_id: string; claim: string }[];
    });
    return {
      dependsOn: [...new Set(held.map((row) => row.claim))].sort(),
      shared: new Set(held.map((row) => row.value_id)),
    };
  }

  /** Forgets a claim whose transaction has ended: later jobs no longer leave its values for after it. */
  async releaseClaim(claim: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM normalisation_claims WHERE claim = $1`, [claim]);
  }

  /**
   * The versions this report wrote of these indicators or vulnerabilities, if they are active and on no
   * warninglist: what its warnings are about (a later report's version must not change them).
   */
  async findAlertableWrittenBy(reportId: string, stixIds: string[]): Promise<IndicatorToMatch[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT s.stix_id, s.indicator_type, s.indicator_value, s.confidence, s.valid_until
         FROM stix_objects s
        WHERE s.stix_id = ANY($1::text[]) AND s.report_id = $2 AND s.indicator_type IS NOT NULL
          AND s.type IN ('indicator', 'vulnerability') AND NOT s.suppressed
          AND (s.valid_until IS NULL OR s.valid_until > now())`,
      [stixIds, reportId],
    )) as IndicatorRecord[];
    return rows.map(toIndicatorToMatch);
  }

  /**
   * The versions this report stored of these imported indicators whose pattern cannot be reduced to values, if they
   * are active: delivered to subscriptions by the report's own filters.
   */
  async findPatternIndicatorsWrittenBy(reportId: string, stixIds: string[]): Promise<PatternIndicatorToMatch[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT s.stix_id, s.object->>'pattern_type' AS pattern_type, s.object->>'pattern' AS pattern, s.confidence,
              s.valid_until
         FROM stix_objects s
        WHERE s.stix_id = ANY($1::text[]) AND s.report_id = $2 AND s.type = 'indicator' AND NOT s.value_matchable
          AND (s.valid_until IS NULL OR s.valid_until > now())`,
      [stixIds, reportId],
    )) as {
      stix_id: string;
      pattern_type: string;
      pattern: string;
      confidence: number | null;
      valid_until: Date | null;
    }[];
    return rows.map((row) => ({
      stixId: row.stix_id,
      patternType: row.pattern_type,
      pattern: row.pattern,
      confidence: row.confidence,
      validUntil: row.valid_until?.toISOString() ?? null,
    }));
  }

  /** The objects of the versions this report wrote of these ids, by STIX id. */
  async findObjectsWrittenBy(reportId: string, stixIds: string[]): Promise<Map<string, StoredObject>> {
    if (stixIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT s.stix_id, ${STORED} FROM stix_objects s WHERE s.stix_id = ANY($1::text[]) AND s.report_id = $2`,
      [stixIds, reportId],
    )) as (StoredRecord & { stix_id: string })[];
    return new Map(rows.map((row) => [row.stix_id, toStoredObject(row)]));
  }

  /** The sightings this report wrote of these indicators (its organisation's statement of having seen them). */
  async findSightingsWrittenBy(reportId: string, stixIds: string[]): Promise<StoredObject[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT ${STORED} FROM stix_objects s
        WHERE s.report_id = $1 AND s.type = 'sighting' AND s.sighting_of_ref = ANY($2::text[])`,
      [reportId, stixIds],
    )) as StoredRecord[];
    return rows.map(toStoredObject);
  }

  /** The STIX report normalisation stored for an incident report. */
  async findReportObject(reportId: string): Promise<StoredObject | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${STORED} FROM stix_objects s WHERE s.stix_id = $1 AND s.report_id = $2 AND s.is_latest`,
      [`report--${reportId}`, reportId],
    )) as StoredRecord[];
    return row && toStoredObject(row);
  }

  /**
   * The latest version of each of these objects that the viewer (an organisation) may see, by STIX id: per id, the
   * latest version of each audience it may see, the newest of them (the network audience first on a tie). Ids it may
   * not see, or that do not exist, are absent alike: answer "not found" for both. Read paths (object by id, TAXII
   * `objects/{id}`, indicators) share this rule.
   */
  async findVisibleLatestByIds(
    stixIds: readonly string[],
    viewerId: string,
  ): Promise<Map<string, VisibleObjectVersion>> {
    if (stixIds.length === 0) return new Map();
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT DISTINCT ON (s.stix_id) ${VISIBLE}
           FROM stix_objects s
          WHERE s.stix_id = ANY($1::text[]) AND s.is_latest AND ${maySeeSql('s', '$2')}
          ORDER BY s.stix_id, s.modified DESC, (s.audience_key = 'network') DESC, s.audience_key`,
        [[...stixIds], viewerId],
      ),
    )) as VisibleRecord[];
    return new Map(rows.map((row) => [row.stix_id, toVisibleVersion(row)]));
  }

  /** `findVisibleLatestByIds` for one id. */
  async findVisibleLatestById(stixId: string, viewerId: string): Promise<VisibleObjectVersion | undefined> {
    return (await this.findVisibleLatestByIds([stixId], viewerId)).get(stixId);
  }

  /**
   * Every version of an object the viewer may see, oldest first, one per `modified` (the network audience's when
   * several audiences hold that version); with `modified`, only that version. Empty: not found (or not visible).
   */
  async findVisibleVersionsById(stixId: string, viewerId: string, modified?: Date): Promise<VisibleObjectVersion[]> {
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT DISTINCT ON (s.modified) ${VISIBLE}
           FROM stix_objects s
          WHERE s.stix_id = $1 AND ${maySeeSql('s', '$2')} AND ($3::timestamptz IS NULL OR s.modified = $3::timestamptz)
          ORDER BY s.modified, (s.audience_key = 'network') DESC, s.audience_key`,
        [stixId, viewerId, modified ?? null],
      ),
    )) as VisibleRecord[];
    return rows.map(toVisibleVersion);
  }

  /**
   * The STIX reports Vigia made of incident reports (`report--<incident report id>`, its own, not a producer's) that
   * the viewer may see, newest first: what a MISP feed lists. `withRed: false` leaves TLP:RED out (a feed into other
   * systems, as a subscription that does not accept RED).
   */
  async findVisibleReportObjects(
    viewerId: string,
    { withRed, limit }: { withRed: boolean; limit: number },
  ): Promise<VisibleObjectVersion[]> {
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT ${VISIBLE}
           FROM stix_objects s
          WHERE s.type = 'report' AND s.is_latest AND NOT s.imported AND s.report_id IS NOT NULL
            AND s.stix_id = 'report--' || s.report_id::text
            AND ($2::boolean OR s.tlp IS DISTINCT FROM 'red') AND ${maySeeSql('s', '$1')}
          ORDER BY s.modified DESC, s.stix_id
          LIMIT $3`,
        [viewerId, withRed, limit],
      ),
    )) as VisibleRecord[];
    return rows.map(toVisibleVersion);
  }

  /** Every organisation's statements about these values, in every audience: filter them by who may see them. */
  async findStatements(values: string[]): Promise<Statement[]> {
    if (values.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT indicator_id, organisation_id, indicator_type, indicator_value, tlp, audience_owner,
              tlp_recipients::text[] AS tlp_recipients, confidence, first_seen, last_seen, report_count
         FROM indicator_correlations WHERE indicator_value = ANY($1::text[])`,
      [values],
    )) as StatementRecord[];
    return rows.map((row) => ({
      indicatorId: row.indicator_id,
      organisationId: row.organisation_id,
      type: row.indicator_type,
      value: row.indicator_value,
      tlp: row.tlp,
      audienceOwner: row.audience_owner,
      recipients: row.tlp_recipients,
      confidence: row.confidence,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      reportCount: row.report_count,
    }));
  }

  /**
   * The values most organisations reported since `since`, counted over the statements `viewer` may see (libs/sharing)
   * and only CLEAR or GREEN ones: a value shown here may travel beyond its audience's organisations.
   */
  async findTopCorrelated(viewer: string, since: Date, limit: number): Promise<CorrelatedValueRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.indicator_type, c.indicator_value, count(DISTINCT c.organisation_id)::int AS organisations,
              sum(c.report_count)::int AS reports, max(c.last_seen) AS last_seen
         FROM indicator_correlations c
        WHERE c.updated_at >= $2 AND c.tlp IN ('clear', 'green') AND ${maySeeSql('c', '$1')}
        GROUP BY c.indicator_type, c.indicator_value
       HAVING count(DISTINCT c.organisation_id) > 1
        ORDER BY organisations DESC, reports DESC, c.indicator_value
        LIMIT $3`,
      [viewer, since, limit],
    )) as {
      indicator_type: string;
      indicator_value: string;
      organisations: number;
      reports: number;
      last_seen: Date;
    }[];
    return rows.map((row) => ({
      indicatorType: row.indicator_type,
      indicatorValue: row.indicator_value,
      organisations: row.organisations,
      reports: row.reports,
      lastSeen: row.last_seen,
    }));
  }
}

const VISIBLE = `s.stix_id, s.type, s.modified, s.is_latest, s.object, s.tlp, s.audience_key, s.audience_owner,
  s.tlp_recipients::text[] AS tlp_recipients, s.created_by_org, s.report_id, s.imported, s.value_matchable`;

interface VisibleRecord {
  stix_id: string;
  type: string;
  modified: Date;
  is_latest: boolean;
  object: Record<string, unknown>;
  tlp: string | null;
  audience_key: string;
  audience_owner: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
  report_id: string | null;
  imported: boolean;
  value_matchable: boolean;
}

const toVisibleVersion = (row: VisibleRecord): VisibleObjectVersion => ({
  stixId: row.stix_id,
  type: row.type,
  modified: row.modified,
  isLatest: row.is_latest,
  object: row.object,
  tlp: row.tlp,
  audienceKey: row.audience_key,
  audienceOwner: row.audience_owner,
  tlpRecipients: row.tlp_recipients,
  createdByOrg: row.created_by_org,
  reportId: row.report_id,
  imported: row.imported,
  valueMatchable: row.value_matchable,
});

const STORED = `s.object, s.tlp, s.audience_owner, s.tlp_recipients::text[] AS tlp_recipients, s.created_by_org`;

interface StatementRecord {
  indicator_id: string;
  organisation_id: string;
  indicator_type: string;
  indicator_value: string;
  tlp: string;
  audience_owner: string | null;
  tlp_recipients: string[];
  confidence: number | null;
  first_seen: Date;
  last_seen: Date;
  report_count: number;
}

// An object stored without a TLP is treated as TLP:RED with no recipients: never shared by mistake.
const toStoredObject = (row: StoredRecord): StoredObject => ({
  object: row.object,
  tlp: row.tlp ?? 'red',
  audienceOwner: row.audience_owner,
  tlpRecipients: row.tlp_recipients,
  createdByOrg: row.created_by_org,
});

const toIndicatorToMatch = (row: IndicatorRecord): IndicatorToMatch => ({
  stixId: row.stix_id,
  type: row.indicator_type,
  value: row.indicator_value,
  confidence: row.confidence,
  validUntil: row.valid_until?.toISOString() ?? null,
});
