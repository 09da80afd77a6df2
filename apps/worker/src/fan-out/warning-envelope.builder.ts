import { IndicatorToMatch, SourceReport, StoredObject } from '@vigia/database';
import { TLP_LEVELS, TlpLevel } from '@vigia/indicators';
import { ScopedStatement, maySee, storedScope, visibleFigures } from '@vigia/sharing';
import { StixObject, buildBundle, identityForOrganisation, tlpLevelForMarkingId, tlpMarkingFor } from '@vigia/stix';
import { WARNING_EVENT_TYPE, WarningEnvelope } from '@vigia/warning-stream';
import { v5 as uuidV5 } from 'uuid';

/** A matched indicator, with its STIX object and who may see it. */
/**
 * A matched indicator with the object this report wrote. `type` is Vigia's indicator type, or `pattern:<language>`
 * for an imported indicator no value stands for (its `value` is then the pattern as sent).
 */
export type SourceIndicator = Omit<IndicatorToMatch, 'type'> & { type: string } & StoredObject;

/** Namespace of warning ids: one id per (report, target), so a retried fan-out repeats the same warning. */
const WARNING_ID_NAMESPACE = 'a3c6e1f2-5b8d-4e37-9c41-7d2f0b6a8e15';

/** `target` is the subscription (webhooks) or the recipient organisation (its stream). */
export const warningIdFor = (reportId: string, target: string): string =>
  `wrn_${uuidV5(`${reportId}/${target}`, WARNING_ID_NAMESPACE)}`;

/** The TLP marking definitions the objects refer to, so the bundle is self-contained. */
function markingsOf(objects: StixObject[]): StixObject[] {
  const levels = new Set<TlpLevel>();
  for (const object of objects) {
    for (const ref of (object as { object_marking_refs?: string[] }).object_marking_refs ?? []) {
      const level = tlpLevelForMarkingId(ref);
      if (level) levels.add(level);
    }
  }
  return TLP_LEVELS.filter((level) => levels.has(level)).map((level) => tlpMarkingFor(level).markingDefinition);
}

/** What every warning about one report is built from. */
export interface WarningSources {
  report: SourceReport;
  /** The STIX report normalisation stored (its own id and version). */
  reportObject: StoredObject | undefined;
  /** The sightings the report wrote. */
  sightings: StoredObject[];
  /** Every audience's statements about a value, for the figures each recipient may see. */
  statementsAbout(value: { type: string; value: string }): readonly ScopedStatement[];
}

/** May the recipient see a stored object (its audience)? Defence in depth: the report's audience was checked. */
const visibleTo = (recipientId: string, stored: StoredObject): boolean =>
  maySee(
    { organisationId: recipientId, active: true },
    storedScope(stored.audienceOwner ?? stored.createdByOrg ?? '', stored.tlp, stored.tlpRecipients),
  );

/**
 * One recipient's warning about one report: the matching values with the report's own confidence, the network's
 * figures as far as the recipient may see them, and a STIX bundle of what this report wrote: its versions of the
 * indicators, its sightings of them, its STIX report, the reporter's identity and the markings.
 */
export function buildWarningEnvelope(
  recipientId: string,
  warningKey: string,
  subscriptionIds: string[],
  { report, reportObject, sightings, statementsAbout }: WarningSources,
  indicators: SourceIndicator[],
): WarningEnvelope {
  const reporter = identityForOrganisation({ id: report.organisationId, name: report.reporterName });
  const matchedIds = new Set(indicators.map((indicator) => indicator.stixId));
  const ownSightings = sightings.filter((sighting) => matchedIds.has(String(sighting.object.sighting_of_ref)));
  const shared = [...indicators, ...ownSightings, ...(reportObject ? [reportObject] : [])].filter((stored) =>
    visibleTo(recipientId, stored),
  );
  const objects = shared.map((stored) => stored.object as unknown as StixObject);
  const viewer = { organisationId: recipientId, active: true };
  return {
    id: warningIdFor(report.id, warningKey),
    type: WARNING_EVENT_TYPE,
    created_at: new Date().toISOString(),
    organisation_id: recipientId,
    subscription_ids: subscriptionIds,
    report: {
      id: report.id,
      title: report.title,
      classification: report.classification,
      type: report.rsitType,
      severity: report.severity,
      tlp: report.tlp,
      reporter: { id: report.organisationId, name: report.reporterName },
    },
    indicators: indicators.map((indicator) => {
      const figures = visibleFigures(statementsAbout(indicator), indicator, viewer);
      return {
        stix_id: indicator.stixId,
        type: indicator.type,
        value: indicator.value,
        confidence: indicator.confidence,
        org_count: figures.orgCount,
        first_seen: figures.firstSeen?.toISOString() ?? null,
        last_seen: figures.lastSeen?.toISOString() ?? null,
        valid_until: indicator.validUntil,
      };
    }),
    bundle: buildBundle([reporter, ...objects, ...markingsOf(objects)]),
  };
}
