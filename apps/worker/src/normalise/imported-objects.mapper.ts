import { ImportedObjectRow } from '@vigia/database';
import { IndicatorType, TlpLevel, canonicaliseIndicator, tlpRank } from '@vigia/indicators';
import { audienceKeyOf, isNetworkAudience } from '@vigia/sharing';
import {
  StixId,
  StixValidator,
  buildRelationship,
  readStixPattern,
  relationshipIdFor,
  strictestTlpOfMarkings,
  tlpMarkingFor,
} from '@vigia/stix';
import { stixIdForValue } from './reported-values.mapper';
import { NormaliseContext } from './stix-rows.mapper';

type StixRecord = Record<string, unknown> & { type: string; id: string };

/** Ingest reads an unmarked document as TLP:AMBER (`StixBundleFormat`); the same default here. */
const UNMARKED_DOCUMENT_TLP = TlpLevel.Amber;

const standardTypes = new StixValidator();

/** What a STIX document's objects become: the producer's objects, and how its indicators map to Vigia's values. */
export interface ImportPlan {
  rows: ImportedObjectRow[];
  /** Per producer indicator whose pattern reduced to values: the ids of Vigia's indicators of those values. */
  links: { producerIndicatorId: string; valueIds: string[] }[];
}

/**
 * The objects of a STIX document as ingest accepted it: a bundle, a TAXII 2.1 envelope or one object. Objects of
 * custom types are left out (ingest listed them as skipped; the raw payload keeps them).
 */
export function standardObjectsOf(document: unknown): StixRecord[] {
  if (typeof document !== 'object' || document === null) return [];
  const { type, objects } = document as Record<string, unknown>;
  const all = type === undefined || type === 'bundle' ? (Array.isArray(objects) ? objects : []) : [document];
  return all.filter(
    (object): object is StixRecord =>
      typeof object === 'object' &&
      object !== null &&
      typeof (object as StixRecord).type === 'string' &&
      typeof (object as StixRecord).id === 'string' &&
      (object as StixRecord).type !== 'bundle' &&
      standardTypes.isStandardType((object as StixRecord).type),
  );
}

/**
 * Every standard object of the document as a version of its own, kept as sent. Its level: its own TLP marking, else
 * the report's, never looser than the report's when the submitter set the report stricter than the document's
 * markings; its audience: that level with the report's recipients (libs/sharing), so a GREEN threat actor in an
 * AMBER bundle is the network's, and nothing in a report kept to named members leaves them.
 */
export function importPlan(objects: readonly StixRecord[], context: NormaliseContext): ImportPlan {
  const documentTlp = strictestTlpOfMarkings(objects.flatMap((object) => markingsOf(object))) ?? UNMARKED_DOCUMENT_TLP;
  const floor = tlpRank(context.scope.tlp) > tlpRank(documentTlp) ? context.scope.tlp : TlpLevel.Clear;
  const plan: ImportPlan = { rows: [], links: [] };
  for (const object of objects) {
    const own = strictestTlpOfMarkings(markingsOf(object)) ?? context.scope.tlp;
    const tlp = tlpRank(own) >= tlpRank(floor) ? own : floor;
    const scope = { ownerId: context.organisationId, tlp, recipients: context.scope.recipients };
    const network = isNetworkAudience(scope);
    const modified = text(object.modified);
    const created = text(object.created);
    const row: ImportedObjectRow = {
      stix_id: object.id,
      modified: modified ?? created ?? context.now,
      type: object.type,
      created: created ?? context.now,
      object,
      tlp,
      tlp_recipients: context.scope.recipients,
      created_by_org: context.organisationId,
      report_id: context.reportId,
      audience_key: audienceKeyOf(scope),
      imported: true,
      value_matchable: true,
      // Objects without `modified` (SCOs, marking definitions) never change: kept once.
      once: modified === undefined,
    };
    if (!network) row.audience_owner = context.organisationId;
    // Linked only where every viewer of the link may see the producer's indicator (its audience or the network's).
    const linkable = row.audience_key === context.audienceKey || network;
    if (object.type === 'indicator') addIndicatorColumns(row, object, context, linkable ? plan : undefined);
    plan.rows.push(row);
  }
  return plan;
}

function addIndicatorColumns(
  row: ImportedObjectRow,
  object: StixRecord,
  context: NormaliseContext,
  plan: ImportPlan | undefined,
): void {
  if (typeof object.confidence === 'number') row.confidence = object.confidence;
  const validFrom = text(object.valid_from);
  const validUntil = text(object.valid_until);
  if (validFrom) row.valid_from = validFrom;
  if (validUntil) row.valid_until = validUntil;
  const read = object.pattern_type === 'stix' ? readStixPattern(String(object.pattern)) : undefined;
  if (!read || 'reason' in read) {
    row.value_matchable = false;
    return;
  }
  if (!plan) return;
  const valueIds = new Set<string>();
  for (const { type, value } of read.indicators) {
    const canonical = canonicaliseIndicator(type, value);
    if (canonical.ok) valueIds.add(stixIdForValue(type as IndicatorType, canonical.value, context.audienceKey));
  }
  if (valueIds.size > 0) plan.links.push({ producerIndicatorId: object.id, valueIds: [...valueIds].sort() });
}

/**
 * Vigia's value indicators `derived-from` the producer's indicator they were read from, one relationship per pair
 * (fixed id), in the report's audience, by the reporter; stored once.
 */
export function derivedFromRows(
  links: ImportPlan['links'],
  storedValueIds: ReadonlySet<string>,
  context: NormaliseContext,
): ImportedObjectRow[] {
  const rows: ImportedObjectRow[] = [];
  for (const { producerIndicatorId, valueIds } of links) {
    for (const valueId of valueIds) {
      if (!storedValueIds.has(valueId)) continue;
      const source = valueId as StixId;
      const target = producerIndicatorId as StixId;
      const relationship = buildRelationship({
        id: relationshipIdFor(source, 'derived-from', target),
        createdBy: context.identityId,
        created: context.now,
        modified: context.now,
        relationshipType: 'derived-from',
        sourceRef: source,
        targetRef: target,
        markingRefs: [tlpMarkingFor(context.scope.tlp).id],
      });
      rows.push(vigiaObjectRow(relationship as unknown as StixRecord, context));
    }
  }
  return rows;
}

const markingsOf = (object: StixRecord): unknown[] =>
  Array.isArray(object.object_marking_refs) ? (object.object_marking_refs as unknown[]) : [];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An object Vigia built (not the producer's) as a row of the report (its audience), stored once. */
export function vigiaObjectRow(object: StixRecord, context: NormaliseContext): ImportedObjectRow {
  const timestamp = typeof object.modified === 'string' ? object.modified : context.now;
  const row: ImportedObjectRow = {
    stix_id: object.id,
    modified: timestamp,
    type: object.type,
    created: typeof object.created === 'string' ? object.created : context.now,
    object,
    tlp: context.scope.tlp,
    tlp_recipients: context.scope.recipients,
    created_by_org: context.organisationId,
    report_id: context.reportId,
    audience_key: context.audienceKey,
    imported: false,
    value_matchable: true,
    once: true,
  };
  if (context.audienceOwner !== undefined) row.audience_owner = context.audienceOwner;
  return row;
}
