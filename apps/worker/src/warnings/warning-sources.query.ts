import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { alertableStixObjectSql } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';
import { DataSource } from 'typeorm';
import { WarningReport } from './matching/subscription-rule';

/** The report behind a fan-out, with what the envelope shows of it. */
export interface SourceReport extends WarningReport {
  title: string;
  rsitType: string | null;
  reporterName: string;
}

/** A stored STIX object with who may see it (its TLP combines every report that contributed to it). */
export interface StoredObject {
  object: Record<string, unknown>;
  tlp: string;
  tlpRecipients: string[];
  createdByOrg: string | null;
}

/** What matching needs of an indicator (or vulnerability) of the report that may raise a warning, as stored now. */
export interface IndicatorToMatch {
  stixId: string;
  type: IndicatorType;
  value: string;
  confidence: number | null;
  orgCount: number;
  validUntil: string | null;
}

/** A matched indicator, with its STIX object and who may see it. */
export type SourceIndicator = IndicatorToMatch & StoredObject;

/**
 * Loads what a fan-out needs: the report, its alertable indicators without their objects (most match nobody), then
 * the objects of those that matched, with the reporter's sightings of them.
 */
@Injectable()
export class WarningSourcesQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(reportId: string): Promise<SourceReport | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.organisation_id, r.title, r.rsit_classification, r.rsit_type, r.severity, r.tlp,
              r.tlp_recipients::text[] AS tlp_recipients, r.country_tags, r.sector_tags, o.name AS reporter_name
         FROM incident_reports r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.id = $1`,
      [reportId],
    )) as ReportRow[];
    const row = rows[0];
    return row && toSourceReport(row);
  }

  /** Latest versions of the given ids that are still active and on no warninglist. */
  async indicators(stixIds: string[]): Promise<IndicatorToMatch[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT s.stix_id, s.indicator_type, s.indicator_value, s.confidence, s.org_count, s.valid_until
         FROM stix_objects s
        WHERE s.stix_id = ANY($1::text[]) AND ${alertableStixObjectSql('s')} AND s.indicator_type IS NOT NULL`,
      [stixIds],
    )) as IndicatorRow[];
    return rows.map(toIndicatorToMatch);
  }

  /** The stored objects of these latest versions, by STIX id. */
  async objects(stixIds: string[]): Promise<Map<string, StoredObject>> {
    if (stixIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT stix_id, object, tlp, tlp_recipients::text[] AS tlp_recipients, created_by_org FROM stix_objects
        WHERE is_latest AND stix_id = ANY($1::text[])`,
      [stixIds],
    )) as (StoredRow & { stix_id: string })[];
    return new Map(rows.map((row) => [row.stix_id, toStoredObject(row)]));
  }

  /** The reporter's own sightings of these indicators (its statement of having seen them). */
  async sightingsBy(organisationId: string, stixIds: string[]): Promise<StoredObject[]> {
    if (stixIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT object, tlp, tlp_recipients::text[] AS tlp_recipients, created_by_org FROM stix_objects
        WHERE is_latest AND type = 'sighting' AND created_by_org = $1 AND sighting_of_ref = ANY($2::text[])`,
      [organisationId, stixIds],
    )) as StoredRow[];
    return rows.map(toStoredObject);
  }
}

interface ReportRow {
  id: string;
  organisation_id: string;
  title: string;
  rsit_classification: string;
  rsit_type: string | null;
  severity: string;
  tlp: string;
  tlp_recipients: string[];
  country_tags: string[];
  sector_tags: string[];
  reporter_name: string;
}

interface StoredRow {
  object: Record<string, unknown>;
  tlp: string | null;
  tlp_recipients: string[];
  created_by_org: string | null;
}

interface IndicatorRow {
  stix_id: string;
  indicator_type: IndicatorType;
  indicator_value: string;
  confidence: number | null;
  org_count: number | null;
  valid_until: Date | null;
}

const toSourceReport = (row: ReportRow): SourceReport => ({
  id: row.id,
  organisationId: row.organisation_id,
  title: row.title,
  classification: row.rsit_classification,
  rsitType: row.rsit_type,
  severity: row.severity,
  tlp: row.tlp,
  tlpRecipients: row.tlp_recipients,
  countries: row.country_tags,
  sectors: row.sector_tags,
  reporterName: row.reporter_name,
});

// An object stored without a TLP is treated as TLP:RED with no recipients: never shared by mistake.
const toStoredObject = (row: StoredRow): StoredObject => ({
  object: row.object,
  tlp: row.tlp ?? 'red',
  tlpRecipients: row.tlp_recipients,
  createdByOrg: row.created_by_org,
});

const toIndicatorToMatch = (row: IndicatorRow): IndicatorToMatch => ({
  stixId: row.stix_id,
  type: row.indicator_type,
  value: row.indicator_value,
  confidence: row.confidence,
  orgCount: row.org_count ?? 1,
  validUntil: row.valid_until?.toISOString() ?? null,
});
