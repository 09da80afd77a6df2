import { randomUUID } from 'node:crypto';
import { TlpLevel } from '@vigia/indicators';
import { audienceKeyOf, isNetworkAudience } from '@vigia/sharing';
import { DataSource } from 'typeorm';

/** One stored STIX version to write directly (tests and benchmarks of the read paths). */
export interface StixVersionSpec {
  type?: string;
  /** Default: a new `<type>--<uuid>`. */
  id?: string;
  /** The reporting organisation (`created_by_org`, and the owner of a restricted audience). */
  ownerId: string;
  tlp?: TlpLevel;
  recipients?: string[];
  /** STIX timestamp; default now. */
  modified?: string;
  /** When it entered the store; default now() of the inserting transaction. */
  dateAdded?: string;
  isLatest?: boolean;
  indicatorType?: string;
  indicatorValue?: string;
  confidence?: number;
  /** Extra properties of the object. */
  extra?: Record<string, unknown>;
}

interface RowJson {
  stix_id: string;
  audience_key: string;
  audience_owner: string | null;
  modified: string;
  type: string;
  created: string;
  date_added: string | null;
  is_latest: boolean;
  object: Record<string, unknown>;
  tlp: string;
  tlp_recipients: string[];
  created_by_org: string;
  indicator_type: string | null;
  indicator_value: string | null;
  confidence: number | null;
}

const rowOf = (spec: StixVersionSpec): RowJson => {
  const type = spec.type ?? 'indicator';
  const id = spec.id ?? `${type}--${randomUUID()}`;
  const tlp = spec.tlp ?? TlpLevel.Green;
  const scope = { ownerId: spec.ownerId, tlp, recipients: spec.recipients ?? [] };
  const modified = spec.modified ?? new Date().toISOString();
  const object: Record<string, unknown> = {
    type,
    spec_version: '2.1',
    id,
    created: modified,
    modified,
    name: `${type} ${id.slice(-12)}`,
    ...(type === 'indicator'
      ? { pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: modified }
      : {}),
    ...spec.extra,
  };
  return {
    stix_id: id,
    audience_key: audienceKeyOf(scope),
    audience_owner: isNetworkAudience(scope) ? null : spec.ownerId,
    modified,
    type,
    created: modified,
    date_added: spec.dateAdded ?? null,
    is_latest: spec.isLatest ?? true,
    object,
    tlp,
    tlp_recipients: spec.recipients ?? [],
    created_by_org: spec.ownerId,
    indicator_type: spec.indicatorType ?? null,
    indicator_value: spec.indicatorValue ?? null,
    confidence: spec.confidence ?? null,
  };
};

/**
 * Writes STIX versions straight into `stix_objects` (as normalisation would have stored them), in batches of
 * `batchSize` rows per statement, in the given order (so `added_seq` follows it). Answers the ids.
 */
export async function insertStixVersions(
  dataSource: DataSource,
  specs: StixVersionSpec[],
  batchSize = 5000,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < specs.length; start += batchSize) {
    const rows = specs.slice(start, start + batchSize).map(rowOf);
    ids.push(...rows.map((row) => row.stix_id));
    await dataSource.query(
      `INSERT INTO stix_objects (stix_id, audience_key, audience_owner, modified, type, created, date_added, is_latest,
                                 object, tlp, tlp_recipients, created_by_org, indicator_type, indicator_value,
                                 confidence)
       SELECT r.stix_id, r.audience_key, r.audience_owner, r.modified, r.type, r.created,
              COALESCE(r.date_added, now()), r.is_latest, r.object, r.tlp, r.tlp_recipients, r.created_by_org,
              r.indicator_type, r.indicator_value, r.confidence
         FROM ROWS FROM (json_to_recordset($1::json) AS (stix_id text, audience_key text, audience_owner uuid,
              modified timestamptz, type text, created timestamptz, date_added timestamptz, is_latest boolean,
              object jsonb, tlp text, tlp_recipients uuid[], created_by_org uuid, indicator_type text,
              indicator_value text, confidence smallint)) WITH ORDINALITY
              AS r(stix_id, audience_key, audience_owner, modified, type, created, date_added, is_latest, object, tlp,
                   tlp_recipients, created_by_org, indicator_type, indicator_value, confidence, ordinal)
        ORDER BY r.ordinal`,
      [JSON.stringify(rows)],
    );
  }
  return ids;
}
