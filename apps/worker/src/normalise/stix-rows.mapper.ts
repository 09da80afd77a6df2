import {
  Correlation,
  OrganisationSummary,
  ReportSummary,
  StixObjectRow,
  StoredIndicator,
  StoredSighting,
} from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { NETWORK_AUDIENCE } from '@vigia/sharing';
import {
  IndicatorArtifactOptions,
  ORGANISATION_IDENTITY_EPOCH,
  Report,
  StixId,
  StixObject,
  StixTimestamp,
  TLP_2_MARKING_CREATED,
  TLP_2_MARKING_IDS,
  buildIndicatorArtifacts,
  buildReport,
  buildSighting,
  organisationStixObjects,
  identityIdForOrganisation,
  sightingIdFor,
  tlpMarkingFor,
} from '@vigia/stix';
import { Lifetimes, renewedValidUntil, validUntilFor } from './lifetime';
import { ReportedValue } from './reported-values.mapper';
import { TlpScope, stricterTlp } from './tlp-scope';

/** What every object built for one report shares. */
export interface NormaliseContext {
  reportId: string;
  organisationId: string;
  identityId: StixId<'identity'>;
  /** The report's TLP and audience recipients (empty: the whole network). */
  scope: TlpScope;
  /** The audience every object of the report belongs to (libs/sharing `audienceKeyOf`). */
  audienceKey: string;
  /** The owner of a restricted audience; undefined for the network audience. */
  audienceOwner: string | undefined;
  /** One clock read per report. */
  now: StixTimestamp;
  /** Days a value stays valid after it was last seen, by kind (`INDICATOR_LIFETIME_DAYS`). */
  lifetimes: Lifetimes;
}

/** The audience columns of every row a report writes. */
const audienceOf = (context: NormaliseContext): Pick<StixObjectRow, 'audience_key' | 'audience_owner'> =>
  context.audienceOwner === undefined
    ? { audience_key: context.audienceKey }
    : { audience_key: context.audienceKey, audience_owner: context.audienceOwner };

/** The audience of objects that describe the network itself (markings, identities): every member. */
const NETWORK_ROW_AUDIENCE = { audience_key: NETWORK_AUDIENCE } as const;

/** Version 1 of a value nobody reported before: its indicator and SCO, or its vulnerability. */
export function firstVersionRows(
  value: ReportedValue,
  context: NormaliseContext,
  suppressedBy: string | undefined,
): StixObjectRow[] {
  const validFrom = value.firstSeen < context.now ? value.firstSeen : context.now;
  const validUntil = validUntilFor(value.type, value.lastSeen, context.now, context.lifetimes);
  const artifacts = buildIndicatorArtifacts(value.type, value.value, {
    id: value.stixId,
    createdBy: context.identityId,
    created: context.now,
    modified: context.now,
    tlp: context.scope.tlp,
    confidence: value.confidence,
    description: value.note,
    validFrom,
    validUntil,
  });
  const main = artifacts.kind === 'indicator' ? artifacts.indicator : artifacts.vulnerability;
  const row = valueRow(main, value, context, suppressedBy, {
    createdByOrg: context.organisationId,
    scope: context.scope,
    confidence: value.confidence,
    validFrom: artifacts.kind === 'indicator' ? validFrom : undefined,
    validUntil,
    orgCount: 1,
    firstSeen: value.firstSeen,
    lastSeen: value.lastSeen,
  });
  if (artifacts.kind === 'vulnerability') return [row];
  const observable: StixObjectRow = {
    stix_id: artifacts.observable.id,
    // SCOs carry no timestamps in STIX; the row's version is when it was first stored.
    modified: context.now,
    type: artifacts.observable.type,
    created: context.now,
    object: artifacts.observable,
    tlp: context.scope.tlp,
    tlp_recipients: context.scope.recipients,
    created_by_org: context.organisationId,
    report_id: context.reportId,
    indicator_type: value.type,
    indicator_value: value.value,
    is_cidr: value.isCidr,
    ...audienceOf(context),
  };
  if (suppressedBy !== undefined) observable.suppressed_by = suppressedBy;
  return [row, observable];
}

/**
 * The next version of a stored indicator (or vulnerability) that this report mentions again. It stays its creator's
 * object (created, created_by_ref); its creator's new report may tighten its TLP and update confidence and note.
 * Every report renews its validity and widens the network's time window and organisation count.
 */
export function nextVersionRow(
  value: ReportedValue,
  previous: StoredIndicator,
  correlation: Correlation,
  context: NormaliseContext,
  suppressedBy: string | undefined,
): StixObjectRow {
  const byCreator = previous.createdByOrg === context.organisationId;
  const scope = byCreator ? stricterTlp(previous.scope, context.scope) : previous.scope;
  const confidence =
    byCreator && value.confidence !== undefined ? value.confidence : (previous.confidence ?? undefined);
  const description = byCreator && value.note !== undefined ? value.note : (previous.description ?? undefined);
  const validUntil = renewedValidUntil(
    previous.validUntil,
    validUntilFor(value.type, value.lastSeen, context.now, context.lifetimes),
  );
  const modified = nextModified(previous.modified, context.now);
  const artifacts = buildIndicatorArtifacts(value.type, value.value, {
    id: value.stixId,
    createdBy: byCreator ? context.identityId : identityIdForOrganisation(previous.createdByOrg),
    created: previous.created,
    modified,
    tlp: scope.tlp,
    confidence,
    description,
    validFrom: previous.validFrom ?? undefined,
    validUntil,
  } satisfies IndicatorArtifactOptions);
  const main = artifacts.kind === 'indicator' ? artifacts.indicator : artifacts.vulnerability;
  return valueRow(main, value, context, suppressedBy, {
    createdByOrg: previous.createdByOrg,
    scope,
    confidence,
    validFrom: previous.validFrom ?? undefined,
    validUntil,
    orgCount: previous.orgCount + (correlation.inserted ? 1 : 0),
    firstSeen: previous.firstSeen < value.firstSeen ? previous.firstSeen : value.firstSeen,
    lastSeen: previous.lastSeen > value.lastSeen ? previous.lastSeen : value.lastSeen,
  });
}

/**
 * The sighting that says "this organisation has seen the indicator another one created": one per (indicator,
 * organisation), a new version per report, counting that organisation's reports over its own time window.
 */
export function sightingRow(
  value: ReportedValue,
  correlation: Correlation,
  previous: StoredSighting | undefined,
  context: NormaliseContext,
  suppressedBy: string | undefined,
): StixObjectRow {
  const scope = previous ? stricterTlp(previous.scope, context.scope) : context.scope;
  const modified = previous ? nextModified(previous.modified, context.now) : context.now;
  const created = correlation.createdAt < modified ? correlation.createdAt : modified;
  const sighting = buildSighting({
    id: sightingIdFor(value.stixId, context.identityId),
    createdBy: context.identityId,
    created,
    modified,
    sightingOf: value.stixId,
    whereSighted: [context.identityId],
    firstSeen: correlation.firstSeen,
    lastSeen: correlation.lastSeen,
    count: Math.min(correlation.reportCount, 999_999_999),
    markingRefs: [tlpMarkingFor(scope.tlp).id],
  });
  const row: StixObjectRow = {
    stix_id: sighting.id,
    modified,
    type: 'sighting',
    created,
    object: sighting,
    tlp: scope.tlp,
    tlp_recipients: scope.recipients,
    created_by_org: context.organisationId,
    report_id: context.reportId,
    indicator_type: value.type,
    indicator_value: value.value,
    is_cidr: value.isCidr,
    sighting_of_ref: value.stixId,
    first_seen: correlation.firstSeen,
    last_seen: correlation.lastSeen,
    ...audienceOf(context),
  };
  if (suppressedBy !== undefined) row.suppressed_by = suppressedBy;
  return row;
}

/**
 * The STIX report of an incident report: id `report--<incident report id>` (so it is made once), published when the
 * report arrived, RSIT classification, severity, sectors and countries as labels, referring to every indicator,
 * vulnerability and sighting the report produced.
 */
export function reportRow(
  summary: ReportSummary,
  objectRefs: readonly StixId[],
  context: NormaliseContext,
): StixObjectRow {
  const received = summary.receivedAt.toISOString();
  const labels = [
    `rsit:${summary.classification}`,
    ...(summary.type ? [`rsit:${summary.classification}:${summary.type}`] : []),
    `severity:${summary.severity}`,
    ...summary.sectors.map((sector) => `sector:${sector}`),
    ...summary.countries.map((country) => `country:${country}`),
  ];
  const report: Report = buildReport({
    id: `report--${context.reportId}`,
    createdBy: context.identityId,
    created: received,
    modified: context.now > received ? context.now : received,
    published: received,
    name: summary.title,
    description: summary.description === '' ? undefined : summary.description,
    reportTypes: ['threat-report'],
    labels,
    // A report whose indicators were all skipped still says who reported what.
    objectRefs: objectRefs.length > 0 ? objectRefs : [context.identityId],
    markingRefs: [tlpMarkingFor(context.scope.tlp).id],
  });
  return {
    stix_id: report.id,
    modified: report.modified,
    type: 'report',
    created: report.created,
    object: report,
    tlp: context.scope.tlp,
    tlp_recipients: context.scope.recipients,
    created_by_org: context.organisationId,
    report_id: context.reportId,
    ...audienceOf(context),
  };
}

/**
 * The organisation in plain STIX 2.1: its identity (a new version whenever the organisation changes, its
 * `updated_at`) and, with a country, the country's location and the identity's `located-at` relationship to it
 * (fixed ids and dates: stored once).
 */
export function organisationRows(organisation: OrganisationSummary): {
  identity: StixObjectRow;
  located: StixObjectRow[];
} {
  const updated = organisation.updatedAt.toISOString();
  const { identity, location, locatedAt } = organisationStixObjects(
    {
      id: organisation.id,
      name: organisation.name,
      country: organisation.countryCode ?? undefined,
      sector: organisation.sector ?? undefined,
    },
    { modified: updated > ORGANISATION_IDENTITY_EPOCH ? updated : ORGANISATION_IDENTITY_EPOCH },
  );
  const located = location && locatedAt ? [networkRow(location), networkRow(locatedAt)] : [];
  return { identity: networkRow(identity), located };
}

/** An object that describes the network itself, visible to every member. */
function networkRow(object: StixObject & { id: string; created: string; modified: string }): StixObjectRow {
  return {
    stix_id: object.id,
    modified: object.modified,
    type: object.type,
    created: object.created,
    object,
    ...NETWORK_ROW_AUDIENCE,
  };
}

/** The five TLP 2.0 marking definitions every marked object refers to. */
export function markingRows(): StixObjectRow[] {
  return (Object.keys(TLP_2_MARKING_IDS) as TlpLevel[]).map((level) => ({
    stix_id: TLP_2_MARKING_IDS[level],
    modified: TLP_2_MARKING_CREATED,
    type: 'marking-definition',
    created: TLP_2_MARKING_CREATED,
    object: tlpMarkingFor(level).markingDefinition as StixObject,
    ...NETWORK_ROW_AUDIENCE,
  }));
}

/** A version must be later than the one it replaces, even when two reports share a millisecond or clocks drift. */
export function nextModified(previous: StixTimestamp, now: StixTimestamp): StixTimestamp {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

interface ValueColumns {
  createdByOrg: string;
  scope: TlpScope;
  confidence: number | undefined;
  validFrom: StixTimestamp | undefined;
  validUntil: StixTimestamp | undefined;
  orgCount: number;
  firstSeen: StixTimestamp;
  lastSeen: StixTimestamp;
}

function valueRow(
  object: StixObject & { id: string; created: string; modified: string },
  value: ReportedValue,
  context: NormaliseContext,
  suppressedBy: string | undefined,
  columns: ValueColumns,
): StixObjectRow {
  const row: StixObjectRow = {
    stix_id: object.id,
    modified: object.modified,
    type: object.type,
    created: object.created,
    object,
    tlp: columns.scope.tlp,
    tlp_recipients: columns.scope.recipients,
    created_by_org: columns.createdByOrg,
    report_id: context.reportId,
    indicator_type: value.type,
    indicator_value: value.value,
    is_cidr: value.isCidr,
    confidence: columns.confidence,
    valid_from: columns.validFrom,
    valid_until: columns.validUntil,
    org_count: columns.orgCount,
    first_seen: columns.firstSeen,
    last_seen: columns.lastSeen,
    ...audienceOf(context),
  };
  if (suppressedBy !== undefined) row.suppressed_by = suppressedBy;
  return row;
}
