import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IndicatorType } from '@vigia/indicators';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { alertableStixObjectSql } from '../entities/stix-object.entity';
import { IndicatorToMatch, StoredObject } from '../entities/stix-object.rows';
import { StixNormalisationTransaction } from './stix-normalisation.transaction';

interface StoredRecord {
  object: Record<string, unknown>;
  tlp: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
}

interface IndicatorRecord {
  stix_id: string;
  indicator_type: IndicatorType;
  indicator_value: string;
  confidence: number | null;
  org_count: number | null;
  valid_until: Date | null;
}

/** `stix_objects` and `indicator_correlations`: what normalisation writes and the read paths serve. */
@Injectable()
export class StixObjectRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** Latest versions of the given indicator or vulnerability ids that are still active and on no warninglist. */
  async findAlertable(stixIds: string[]): Promise<IndicatorToMatch[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT s.stix_id, s.indicator_type, s.indicator_value, s.confidence, s.org_count, s.valid_until
         FROM stix_objects s
        WHERE s.stix_id = ANY($1::text[]) AND ${alertableStixObjectSql('s')} AND s.indicator_type IS NOT NULL`,
      [stixIds],
    )) as IndicatorRecord[];
    return rows.map(toIndicatorToMatch);
  }

  /** The stored objects of these latest versions, by STIX id. */
  async findLatestObjects(stixIds: string[]): Promise<Map<string, StoredObject>> {
    if (stixIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT stix_id, object, tlp, tlp_recipients::text[] AS tlp_recipients, created_by_org FROM stix_objects
        WHERE is_latest AND stix_id = ANY($1::text[])`,
      [stixIds],
    )) as (StoredRecord & { stix_id: string })[];
    return new Map(rows.map((row) => [row.stix_id, toStoredObject(row)]));
  }

  /** An organisation's own sightings of these indicators (its statement of having seen them), latest versions. */
  async findSightingsBy(organisationId: string, stixIds: string[]): Promise<StoredObject[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT object, tlp, tlp_recipients::text[] AS tlp_recipients, created_by_org FROM stix_objects
        WHERE is_latest AND type = 'sighting' AND created_by_org = $1 AND sighting_of_ref = ANY($2::text[])`,
      [organisationId, stixIds],
    )) as StoredRecord[];
    return rows.map(toStoredObject);
  }
}

// An object stored without a TLP is treated as TLP:RED with no recipients: never shared by mistake.
const toStoredObject = (row: StoredRecord): StoredObject => ({
  object: row.object,
  tlp: row.tlp ?? 'red',
  tlpRecipients: row.tlp_recipients,
  createdByOrg: row.created_by_org,
});

const toIndicatorToMatch = (row: IndicatorRecord): IndicatorToMatch => ({
  stixId: row.stix_id,
  type: row.indicator_type,
  value: row.indicator_value,
  confidence: row.confidence,
  orgCount: row.org_count ?? 1,
  validUntil: row.valid_until?.toISOString() ?? null,
});
