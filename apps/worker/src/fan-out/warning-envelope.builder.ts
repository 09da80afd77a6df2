import { IndicatorToMatch, SourceReport, StoredObject } from '@vigia/database';
import { TLP_LEVELS, TlpLevel } from '@vigia/indicators';
import {
  StixObject,
  buildBundle,
  buildReport,
  identityForOrganisation,
  stixNow,
  tlpLevelForMarkingId,
  tlpMarkingFor,
} from '@vigia/stix';
import { WARNING_EVENT_TYPE, WarningEnvelope } from '@vigia/warning-stream';
import { v5 as uuidV5 } from 'uuid';
import { mayAccess } from './matching/tlp-policy';

/** A matched indicator, with its STIX object and who may see it. */
export type SourceIndicator = IndicatorToMatch & StoredObject;

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

/**
 * One recipient's warning about one report: the matching values as the report gave them, and a STIX bundle with
 * the stored objects the recipient may see (an indicator first shared under a stricter TLP stays out; its value
 * still reaches the recipient through this report, which allowed it), the reporter's sightings, a report summary
 * and the markings.
 */
export function buildWarningEnvelope(
  recipientId: string,
  warningKey: string,
  subscriptionIds: string[],
  report: SourceReport,
  indicators: SourceIndicator[],
  sightings: StoredObject[],
): WarningEnvelope {
  const reporter = identityForOrganisation({ id: report.organisationId, name: report.reporterName });
  const shared = [...indicators, ...sightings].filter((stored) =>
    mayAccess({ ownerId: stored.createdByOrg, tlp: stored.tlp, tlpRecipients: stored.tlpRecipients }, recipientId),
  );
  const objects = shared.map((stored) => stored.object as unknown as StixObject);
  const now = stixNow();
  const summary = buildReport({
    id: `report--${report.id}`,
    name: report.title,
    published: now,
    created: now,
    createdBy: reporter.id,
    objectRefs: objects.length > 0 ? objects.map((object) => object.id) : [reporter.id],
    markingRefs: [tlpMarkingFor(report.tlp as TlpLevel).id],
    labels: [report.classification, ...(report.rsitType ? [report.rsitType] : [])],
  });
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
    indicators: indicators.map((indicator) => ({
      stix_id: indicator.stixId,
      type: indicator.type,
      value: indicator.value,
      confidence: indicator.confidence,
      org_count: indicator.orgCount,
      valid_until: indicator.validUntil,
    })),
    bundle: buildBundle([reporter, ...objects, summary, ...markingsOf([...objects, summary])]),
  };
}
