import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  DirectoryRepository,
  IndicatorFilters,
  IndicatorRepository,
  IndicatorSort,
  IndicatorSummary,
  LookupQuery,
  NewIndicatorFeedback,
  OrganisationRepository,
  ScoreSettings,
  StixObjectRepository,
} from '@vigia/database';
import { canonicaliseIndicator, decayTable, IndicatorType, readRawIndicator, TlpLevel } from '@vigia/indicators';
import { DeliverIndicatorFeedbackPayload, JobName, JobOutbox, feedbackJobId, outboxJob } from '@vigia/queue';
import { audienceKeyOf, visibleFigures } from '@vigia/sharing';
import {
  TLP_2_MARKING_IDS,
  buildObservableFor,
  buildOpinion,
  buildSighting,
  identityIdForOrganisation,
  randomStixId,
  stixNow,
  type PatternableIndicatorType,
} from '@vigia/stix';
import { parentDomains } from '../directory/lookup-value';
import {
  FeedbackRecordedDto,
  IndicatorDetailDto,
  IndicatorPageDto,
  IndicatorLookupAnswerDto,
  IndicatorLookupResultDto,
} from './dto/indicator-answers.dto';
import { DEFAULT_INDICATOR_PAGE, IndicatorQueryDto } from './dto/indicator-query.dto';
import { FeedbackInputDto, SightingInputDto } from './dto/indicator-input.dto';
import {
  decodeCursor,
  encodeCursor,
  knownValue,
  organisationIdsOf,
  toFeedbackDto,
  toIndicatorDto,
  toIndicatorReportDto,
  toSightingDto,
} from './indicator.mapper';

/** Levels whose reads are audited (docs/sharing.md): the owner learns who read what it kept close. */
const AUDITED_LEVELS: readonly string[] = [TlpLevel.AmberStrict, TlpLevel.Red];
/** Ids named in one read event at most; the count says how many there were. */
const AUDITED_IDS = 100;

const invalid = (path: string, value: string, reason: string): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, `${path}: ${reason}`, [{ path, value, reason }]);

const notFound = (id: string): VigiaException => new VigiaException(ErrorCode.NotFound, `No indicator ${id}`);

/**
 * The analysts' read path and feedback loop (docs/indicators.md): search, detail, bulk lookup, sightings and
 * feedback. Every read goes through the sharing rule in SQL (`maySeeSql`); an indicator the caller may not see answers
 * 404 exactly as one that does not exist. Reads of AMBER+STRICT and RED indicators are audited for their owner.
 */
@Injectable()
export class IndicatorsService {
  private readonly logger = new Logger('Indicators');

  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly stixObjects: StixObjectRepository,
    private readonly directory: DirectoryRepository,
    private readonly organisations: OrganisationRepository,
    private readonly auditLog: AuditLog,
    private readonly outbox: JobOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get settings(): ScoreSettings {
    return {
      decay: decayTable(this.config.indicators.lifetimeDays),
      falsePositiveThreshold: this.config.indicators.falsePositiveThreshold,
    };
  }

  async list(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    query: IndicatorQueryDto,
  ): Promise<IndicatorPageDto> {
    const sort: IndicatorSort = query.sort ?? 'last_seen';
    const page = await this.indicators.search({
      viewerId: principal.organisationId,
      filters: filtersOf(query),
      sort,
      limit: query.limit ?? DEFAULT_INDICATOR_PAGE,
      after: query.cursor ? decodeCursor(sort, query.cursor) : undefined,
    });
    await this.auditReads(principal, origin, page.items, 'list');
    const names = await this.indicators.organisationNames(organisationIdsOf(page.items), principal.organisationId);
    return {
      items: page.items.map((summary) => toIndicatorDto(summary, names)),
      next_cursor: page.next ? encodeCursor(sort, page.next) : null,
    };
  }

  async get(principal: OrganisationPrincipal, origin: RequestOrigin, id: string): Promise<IndicatorDetailDto> {
    const viewerId = principal.organisationId;
    const summary = await this.indicators.findVisible(viewerId, id);
    if (!summary) throw notFound(id);
    const scoIds = summary.objectType === 'indicator' ? [observableIdOf(summary)] : [];
    const [versions, related, reports, statements] = await Promise.all([
      this.indicators.findVersions(viewerId, id),
      this.indicators.findRelated(viewerId, id, scoIds),
      this.indicators.findVisibleReports(viewerId, summary.reportIds),
      this.stixObjects.findStatements([summary.value]),
    ]);
    const observables = related.filter((object) => object.type !== 'sighting' && object.type !== 'opinion');
    const sightings = related.filter((object) => object.type === 'sighting');
    const opinions = related.filter((object) => object.type === 'opinion');
    const names = await this.indicators.organisationNames(
      [
        ...organisationIdsOf([summary]),
        ...related.flatMap((object) => (object.createdByOrg ? [object.createdByOrg] : [])),
        ...reports.map((report) => report.organisationId),
      ],
      viewerId,
    );
    const figures = visibleFigures(statements, summary, { organisationId: viewerId, active: true });
    await this.auditReads(principal, origin, [summary], 'detail');
    const latest = versions[0]?.object;
    return {
      ...toIndicatorDto(summary, names),
      network: {
        org_count: figures.orgCount,
        first_seen: figures.firstSeen?.toISOString() ?? null,
        last_seen: figures.lastSeen?.toISOString() ?? null,
      },
      observables: observables.map((object) => object.object),
      versions: versions.map((version) => ({
        modified: version.modified.toISOString(),
        report_id: version.reportId,
        object: version.object,
      })),
      sightings: sightings.map((object) => toSightingDto(object, names)),
      feedback: opinions.map((object) => toFeedbackDto(object, names)),
      reports: reports.map((report) => toIndicatorReportDto(report, names)),
      stix: {
        type: 'bundle',
        id: randomStixId('bundle'),
        objects: [...(latest ? [latest] : []), ...related.map((object) => object.object)],
      },
    };
  }

  /** Up to 10,000 raw values: each canonicalised as ingest does, and what the network knows of it. */
  async lookup(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    values: string[],
  ): Promise<IndicatorLookupAnswerDto> {
    const read = values.map((input) => ({ input, result: readRawIndicator(input) }));
    const wanted = read.flatMap(({ result }) =>
      result.ok ? [result.value, ...(result.host !== undefined ? [result.host] : [])] : [],
    );
    const hits = await this.indicators.lookup(principal.organisationId, wanted);
    const byValue = new Map<string, IndicatorSummary[]>();
    for (const hit of hits) {
      const key = `${hit.type}\n${hit.value}`;
      byValue.set(key, [...(byValue.get(key) ?? []), hit.indicator]);
    }
    const hostKey = (host: string): string =>
      `${host.includes(':') ? IndicatorType.Ipv6 : /^[\d.]+$/.test(host) ? IndicatorType.Ipv4 : IndicatorType.Domain}\n${host}`;
    const owners = await this.directory.ownersOfMany(
      read.flatMap(({ result }, index): LookupQuery[] => (result.ok ? [directoryQueryOf(index, result)] : [])),
      principal.organisationId,
    );
    const results = read.map(({ input, result }, index): IndicatorLookupResultDto => {
      if (!result.ok) {
        return { input, type: null, canonical: null, error: result.reason, ...knownValue([]), constituency: [] };
      }
      const known = knownValue(byValue.get(`${result.type}\n${result.value}`) ?? []);
      const host = result.host !== undefined ? knownValue(byValue.get(hostKey(result.host)) ?? []) : undefined;
      return {
        input,
        type: result.type,
        canonical: result.value,
        ...known,
        ...(host && result.host !== undefined ? { host: { value: result.host, ...host } } : {}),
        constituency: (owners.get(index) ?? []).map((owner) => ({
          organisation_id: owner.organisationId,
          name: owner.name,
          matched: owner.matched,
        })),
      };
    });
    await this.auditReads(
      principal,
      origin,
      hits.map((hit) => hit.indicator),
      'lookup',
    );
    this.logger.log(
      { organisationId: principal.organisationId, values: values.length, hits: hits.length },
      'indicators looked up',
    );
    return {
      results,
      known: results.filter((result) => result.known).length,
      invalid: results.filter((result) => result.canonical === null).length,
    };
  }

  /** "We see it too": a STIX sighting under the member's own scope, told to who shared the indicator. */
  async recordSighting(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    input: SightingInputDto,
  ): Promise<FeedbackRecordedDto> {
    const summary = await this.visibleForFeedback(principal, id, input.tlp_recipients ?? []);
    if (input.first_seen && input.last_seen && Date.parse(input.last_seen) < Date.parse(input.first_seen)) {
      throw invalid('last_seen', input.last_seen, 'is earlier than first_seen');
    }
    const identity = identityIdForOrganisation(principal.organisationId);
    const created = stixNow();
    const object = buildSighting({
      created,
      createdBy: identity,
      sightingOf: summary.stixId as `indicator--${string}`,
      whereSighted: input.where === 'constituency' ? [identity] : undefined,
      count: input.count ?? 1,
      firstSeen: input.first_seen,
      lastSeen: input.last_seen,
      description: input.comment,
      markingRefs: [TLP_2_MARKING_IDS[input.tlp]],
    });
    return this.record(principal, origin, summary, input, {
      stixId: object.id,
      type: 'sighting',
      object: object as unknown as Record<string, unknown>,
      firstSeen: object.first_seen ?? created,
      lastSeen: object.last_seen ?? object.first_seen ?? created,
    });
  }

  /** False positive or confirmed: a STIX opinion under the member's own scope, told to who shared the indicator. */
  async recordFeedback(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    input: FeedbackInputDto,
  ): Promise<FeedbackRecordedDto> {
    const summary = await this.visibleForFeedback(principal, id, input.tlp_recipients ?? []);
    const object = buildOpinion({
      createdBy: identityIdForOrganisation(principal.organisationId),
      opinion: input.verdict === 'false-positive' ? 'strongly-disagree' : 'strongly-agree',
      objectRefs: [summary.stixId as `indicator--${string}`],
      explanation: input.comment,
      markingRefs: [TLP_2_MARKING_IDS[input.tlp]],
    });
    return this.record(principal, origin, summary, input, {
      stixId: object.id,
      type: 'opinion',
      object: object as unknown as Record<string, unknown>,
    });
  }

  /** The indicator, if the caller may see it, and the recipients it named, if they are active members. */
  private async visibleForFeedback(
    principal: OrganisationPrincipal,
    id: string,
    recipients: readonly string[],
  ): Promise<IndicatorSummary> {
    const summary = await this.indicators.findVisible(principal.organisationId, id);
    if (!summary) throw notFound(id);
    const active = await this.organisations.activeAmong(recipients);
    const unknown = recipients.findIndex((recipient) => !active.has(recipient.toLowerCase()) && !active.has(recipient));
    if (unknown !== -1) {
      throw invalid(`tlp_recipients[${unknown}]`, recipients[unknown], 'no such active member organisation');
    }
    return summary;
  }

  private async record(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    summary: IndicatorSummary,
    input: SightingInputDto | FeedbackInputDto,
    stored: Pick<NewIndicatorFeedback, 'stixId' | 'type' | 'object' | 'firstSeen' | 'lastSeen'>,
  ): Promise<FeedbackRecordedDto> {
    const recipients = [...new Set((input.tlp_recipients ?? []).map((recipient) => recipient.toLowerCase()))];
    const scope = { ownerId: principal.organisationId, tlp: input.tlp, recipients };
    const audit = this.auditLog.event(
      {
        action: stored.type === 'sighting' ? AuditAction.IndicatorSighted : AuditAction.IndicatorFeedbackGiven,
        targetType: AuditTargetType.StixObject,
        targetId: stored.stixId,
        details: {
          indicator_id: summary.stixId,
          tlp: input.tlp,
          recipients: recipients.length,
          ...('verdict' in input ? { verdict: input.verdict } : {}),
        },
      },
      principal,
      origin,
    );
    const { suppressedNow, jobs } = await this.indicators.recordFeedback(
      {
        ...stored,
        indicatorId: summary.stixId,
        indicatorAudienceKey: summary.audienceKey,
        indicatorType: summary.type,
        indicatorValue: summary.value,
        organisationId: principal.organisationId,
        tlp: input.tlp,
        recipients,
        audienceKey: audienceKeyOf(scope),
      },
      this.settings,
      audit,
      (suppressed) => [
        outboxJob(
          JobName.DeliverIndicatorFeedback,
          { objectId: stored.stixId, suppressed } satisfies DeliverIndicatorFeedbackPayload,
          feedbackJobId(stored.stixId),
        ),
      ],
    );
    await this.outbox.dispatch(jobs);
    const after = (await this.indicators.findVisible(principal.organisationId, summary.stixId)) ?? summary;
    const names = await this.indicators.organisationNames(organisationIdsOf([after]), principal.organisationId);
    this.logger.log(
      { indicatorId: summary.stixId, objectId: stored.stixId, kind: stored.type, suppressedNow },
      'indicator feedback recorded',
    );
    return { id: stored.stixId, indicator: toIndicatorDto(after, names), suppressed_now: suppressedNow };
  }

  /** One `object.read` event per owner of the AMBER+STRICT and RED indicators read, naming them (up to 100). */
  private async auditReads(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    read: readonly IndicatorSummary[],
    via: 'list' | 'detail' | 'lookup',
  ): Promise<void> {
    const byOwner = new Map<string, IndicatorSummary[]>();
    for (const summary of read) {
      if (!AUDITED_LEVELS.includes(summary.tlp)) continue;
      const owner = summary.audienceOwner ?? summary.createdByOrg ?? principal.organisationId;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), summary]);
    }
    for (const [owner, summaries] of byOwner) {
      await this.auditLog.record(
        {
          action: AuditAction.ObjectRead,
          organisationId: owner,
          targetType: AuditTargetType.StixObject,
          targetId: summaries[0].stixId,
          details: {
            via,
            count: summaries.length,
            tlp: [...new Set(summaries.map((summary) => summary.tlp))].sort(),
            object_ids: summaries.slice(0, AUDITED_IDS).map((summary) => summary.stixId),
          },
        },
        principal,
        origin,
      );
    }
  }
}

/** The STIX id of the indicator's observable (SCO ids are fixed by value). */
const observableIdOf = (summary: IndicatorSummary): string =>
  buildObservableFor(summary.type as PatternableIndicatorType, summary.value).id;

/** Where the directory may hold a looked-up value: an address, a domain (or a URL's or address's host), an AS. */
function directoryQueryOf(index: number, result: { type: IndicatorType; value: string; host?: string }): LookupQuery {
  switch (result.type) {
    case IndicatorType.Ipv4:
    case IndicatorType.Ipv6:
      return { index, address: result.value };
    case IndicatorType.Domain:
      return { index, suffixes: parentDomains(result.value) };
    case IndicatorType.Asn:
      return { index, asn: Number(result.value) };
    case IndicatorType.Url:
    case IndicatorType.Email: {
      const host = result.host;
      if (host === undefined) return { index };
      return host.includes(':') || /^[\d.]+$/.test(host)
        ? { index, address: host }
        : { index, suffixes: parentDomains(host) };
    }
    default:
      return { index };
  }
}

/** Reads the query's filters; values are canonicalised by libs/indicators as ingest does (400 with the reason). */
function filtersOf(query: IndicatorQueryDto): IndicatorFilters {
  const types = query.type as IndicatorType[] | undefined;
  const filters: IndicatorFilters = {
    types,
    classifications: query.classification,
    rsitTypes: query.rsit_type,
    tlps: query.tlp,
    reporterIds: query.organisation,
    countries: query.country,
    sectors: query.sector,
    firstSeenFrom: dateOf(query.first_seen_from),
    firstSeenTo: dateOf(query.first_seen_to),
    lastSeenFrom: dateOf(query.last_seen_from),
    lastSeenTo: dateOf(query.last_seen_to),
    activeOnly: query.active,
    minOrgCount: query.min_org_count,
    minScore: query.min_score,
    suppressed: query.suppressed,
    text: query.q,
  };
  if (query.value !== undefined) {
    const read = readRawIndicator(query.value, types?.length === 1 ? types[0] : undefined);
    if (!read.ok) throw invalid('value', query.value, read.reason);
    filters.values = [read.value];
  }
  if (query.cidr !== undefined) filters.withinCidr = network('cidr', query.cidr);
  if (query.ip !== undefined) filters.containingIp = network('ip', query.ip);
  if (query.domain !== undefined) filters.domain = domain('domain', query.domain);
  if (query.url_host !== undefined) filters.urlHost = domain('url_host', query.url_host);
  return filters;
}

const dateOf = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

/** An IPv4 or IPv6 address or network, canonical (a network with host bits set is refused with the one it meant). */
function network(path: string, raw: string): string {
  const type = raw.includes(':') ? IndicatorType.Ipv6 : IndicatorType.Ipv4;
  const result = canonicaliseIndicator(type, raw);
  if (!result.ok) throw invalid(path, raw, result.reason);
  return result.value;
}

function domain(path: string, raw: string): string {
  const result = canonicaliseIndicator(IndicatorType.Domain, raw);
  if (!result.ok) throw invalid(path, raw, result.reason);
  return result.value;
}
