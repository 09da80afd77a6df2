import { VigiaException, ErrorCode } from '@vigia/common';
import { IndicatorCursor, IndicatorReport, IndicatorSort, IndicatorSummary, ScopedObject } from '@vigia/database';
import {
  FeedbackDto,
  IndicatorSummaryDto,
  IndicatorReportDto,
  KnownValueDto,
  LookupIndicatorDto,
  OrganisationRefDto,
  SightingDto,
} from './dto/indicator-answers.dto';

type Names = ReadonlyMap<string, string>;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const refOf = (id: string | null, names: Names): OrganisationRefDto | null =>
  id === null ? null : { id, name: names.get(id) ?? '' };

/** Every organisation id a summary names (to look their names up once). */
export const organisationIdsOf = (summaries: readonly IndicatorSummary[]): string[] => [
  ...new Set(summaries.flatMap((summary) => summary.reporterIds)),
];

export function toIndicatorDto(summary: IndicatorSummary, names: Names): IndicatorSummaryDto {
  return {
    id: summary.stixId,
    object_type: summary.objectType,
    type: summary.type,
    value: summary.value,
    tlp: summary.tlp,
    score: summary.score,
    confidence: summary.confidence,
    org_count: summary.orgCount,
    reported_by: summary.reporterIds.map((id) => ({ id, name: names.get(id) ?? '' })),
    sighting_org_count: summary.sightingOrgCount,
    sighting_count: summary.sightingCount,
    confirmed_org_count: summary.confirmedOrgCount,
    false_positive_org_count: summary.falsePositiveOrgCount,
    first_seen: iso(summary.firstSeen),
    last_seen: iso(summary.lastSeen),
    valid_until: iso(summary.validUntil),
    active: summary.active,
    suppressed: { warninglist: summary.warninglisted, false_positive: summary.fpSuppressed },
    classifications: summary.classifications,
    rsit_types: summary.rsitTypes,
    countries: summary.countries,
    sectors: summary.sectors,
  };
}

const toLookupIndicator = (summary: IndicatorSummary): LookupIndicatorDto => ({
  id: summary.stixId,
  type: summary.type,
  value: summary.value,
  tlp: summary.tlp,
  score: summary.score,
  org_count: summary.orgCount,
  last_seen: iso(summary.lastSeen),
  active: summary.active,
  suppressed: summary.warninglisted || summary.fpSuppressed,
  classifications: summary.classifications,
});

/**
 * What the viewer may know of a value from the indicators it may see (one per audience): the organisations are
 * counted once however many audiences they reported it in, as `visibleFigures` counts statements.
 */
export function knownValue(summaries: readonly IndicatorSummary[]): KnownValueDto {
  const active = summaries.filter((summary) => summary.active);
  const lastSeen = summaries.reduce<Date | null>(
    (latest, summary) => (summary.lastSeen && (!latest || summary.lastSeen > latest) ? summary.lastSeen : latest),
    null,
  );
  return {
    known: summaries.length > 0,
    score: active.length > 0 ? Math.max(...active.map((summary) => summary.score)) : null,
    org_count: new Set(summaries.flatMap((summary) => summary.reporterIds)).size,
    last_seen: iso(lastSeen),
    classifications: [...new Set(summaries.flatMap((summary) => summary.classifications))].sort(),
    indicators: summaries.map(toLookupIndicator),
  };
}

/** A sighting: a report's (normalisation wrote it) or a member's (no report). */
export function toSightingDto(object: ScopedObject, names: Names): SightingDto {
  const stix = object.object;
  const fromMember = object.reportId === null;
  // A member's sighting names its own identity where sighted when it was in its constituency.
  const where = Array.isArray(stix.where_sighted_refs) && stix.where_sighted_refs.length > 0;
  return {
    id: object.stixId,
    source: fromMember ? 'member' : 'report',
    organisation: refOf(object.createdByOrg, names),
    tlp: object.tlp,
    count: typeof stix.count === 'number' ? stix.count : 1,
    first_seen: text(stix.first_seen),
    last_seen: text(stix.last_seen),
    ...(fromMember ? { where: where ? ('constituency' as const) : ('elsewhere' as const) } : {}),
    comment: text(stix.description),
  };
}

export function toFeedbackDto(object: ScopedObject, names: Names): FeedbackDto {
  const opinion = object.object.opinion;
  return {
    id: object.stixId,
    organisation: refOf(object.createdByOrg, names),
    tlp: object.tlp,
    verdict: opinion === 'strongly-disagree' || opinion === 'disagree' ? 'false-positive' : 'confirmed',
    comment: text(object.object.explanation),
    created: object.created.toISOString(),
  };
}

export const toIndicatorReportDto = (report: IndicatorReport, names: Names): IndicatorReportDto => ({
  id: report.id,
  title: report.title,
  classification: report.classification,
  type: report.type,
  tlp: report.tlp,
  organisation: { id: report.organisationId, name: names.get(report.organisationId) ?? '' },
  received_at: report.receivedAt.toISOString(),
});

/** A cursor is opaque to clients: the order it belongs to, the sort value and the id of the page's last row. */
export function encodeCursor(sort: IndicatorSort, cursor: IndicatorCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.sortValue, cursor.stixId])).toString('base64url');
}

export function decodeCursor(sort: IndicatorSort, encoded: string): IndicatorCursor {
  const refused = new VigiaException(ErrorCode.ValidationFailed, 'cursor is not one this list gave', [
    { path: 'cursor', value: encoded, reason: 'not a cursor of this order; start again without it' },
  ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort || typeof parsed[2] !== 'string') {
    throw refused;
  }
  const [, sortValue, stixId] = parsed as [string, unknown, string];
  if (
    sort === 'last_seen'
      ? typeof sortValue !== 'string' || Number.isNaN(Date.parse(sortValue))
      : !Number.isInteger(sortValue)
  ) {
    throw refused;
  }
  return { sortValue: sortValue as string | number, stixId };
}
