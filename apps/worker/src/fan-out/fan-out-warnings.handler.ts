import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType } from '@vigia/audit';
import {
  IndicatorRepository,
  IndicatorToMatch,
  PatternIndicatorToMatch,
  OrganisationRepository,
  ReportRepository,
  Statement,
  StixObjectRepository,
} from '@vigia/database';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { decayTable } from '@vigia/indicators';
import { FanOutWarningsPayload, JobHandler, JobName } from '@vigia/queue';
import { audienceKeyOf, storedScope, visibleFigures } from '@vigia/sharing';
import { indicatorTypesOfPattern } from '@vigia/stix';
import { WarningEnvelope, WarningForStream, WarningStreamPublisher } from '@vigia/warning-stream';
import { UnrecoverableError } from 'bullmq';
import { WebhookDeliveryScheduler, WebhookWarning } from '../webhook-delivery/webhook-delivery.scheduler';
import { EmailWarning, WarningMailScheduler } from '../warning-mail/warning-mail.scheduler';
import { warningsFannedOut } from '../worker-metrics';
import { ConstituencyMails } from './constituency-mails';
import { ConstituencyTarget, SubscriptionIndexCache } from './subscription-index.cache';
import { SourceIndicator, WarningSources, buildWarningEnvelope } from './warning-envelope.builder';

/**
 * Early warnings for one normalised report: every new or updated indicator is matched against the indexed
 * subscriptions (filters, constituency, sharing rule). Each subscription's webhook endpoints get one warning with what
 * that subscription matched (one delivery job per endpoint), and so do its e-mail channels (a mail now, or an item of
 * the next digest); each organisation's live stream gets one warning with what any of its streaming subscriptions
 * matched. Warning ids are fixed per (report, subscription or stream), so a retried job schedules no second delivery
 * and mails nobody twice.
 *
 * Constituency warnings go the same way: each member's constituency in the directory is a rule of the index (see
 * `SubscriptionIndexCache`), under the same sharing rule. What it matched goes to the member's stream (merged into its
 * one stream warning, marked `constituency`), to its webhook endpoints (one warning per report, id fixed per (report,
 * member), skipped where a subscription's warning to that endpoint already holds every value) and by mail to its 24/7
 * contacts (mail ids fixed per (warning, contact)), the mails queued in the webhook deliveries' transaction. Members
 * suspended meanwhile get nothing.
 *
 * A warning is about what this report wrote (its versions of the indicators, its sightings, its STIX report), with
 * the report's own figures; the network's figures it carries, and the filters on them, count only the statements its
 * recipient may see (libs/sharing).
 */
@Injectable()
export class FanOutWarningsHandler {
  private readonly logger = new Logger(FanOutWarningsHandler.name);

  constructor(
    private readonly reports: ReportRepository,
    private readonly organisations: OrganisationRepository,
    private readonly stixObjects: StixObjectRepository,
    private readonly subscriptions: SubscriptionIndexCache,
    private readonly streams: WarningStreamPublisher,
    private readonly webhooks: WebhookDeliveryScheduler,
    private readonly constituencyMails: ConstituencyMails,
    private readonly mails: WarningMailScheduler,
    private readonly audit: AuditLog,
    private readonly indicatorViews: IndicatorRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.FanOutWarnings)
  async handle({ reportId, indicatorIds }: FanOutWarningsPayload): Promise<{ recipients: number }> {
    const { index, byId, constituencyById } = await this.subscriptions.current();
    if (index.isEmpty) return { recipients: 0 };
    const report = await this.reports.findSource(reportId);
    if (!report) throw new UnrecoverableError(`report ${reportId} does not exist`);
    // Past the false-positive threshold (members' feedback): never fanned out again, whoever reports it.
    const falsePositives = await this.indicatorViews.suppressedAmong(indicatorIds);
    const indicators = (await this.stixObjects.findAlertableWrittenBy(reportId, indicatorIds)).filter(
      (indicator) => !falsePositives.has(indicator.stixId),
    );
    const scores = await this.scoresFor(
      audienceKeyOf(storedScope(report.organisationId, report.tlp, report.tlpRecipients)),
      indicators,
      index.rules,
    );
    const statements = await this.stixObjects.findStatements([...new Set(indicators.map((i) => i.value))]);
    const ownConfidence = new Map(
      statements
        .filter((statement) => statement.organisationId === report.organisationId)
        .map((statement) => [statement.indicatorId, statement.confidence]),
    );
    const statementsAbout = statementsByValue(statements);
    const orgCountFor = (indicator: IndicatorToMatch) => (organisationId: string) =>
      visibleFigures(statementsAbout(indicator), indicator, { organisationId, active: true }).orgCount;

    // What each subscription matched; a webhook gets its own subscription's matches, the stream its organisation's.
    const matchedIds = new Map<string, Set<string>>();
    for (const indicator of indicators) {
      const candidate = {
        indicatorId: indicator.stixId,
        type: indicator.type,
        value: indicator.value,
        confidence: ownConfidence.get(indicator.stixId) ?? indicator.confidence,
        orgCountFor: orgCountFor(indicator),
        score: scores.get(indicator.stixId) ?? null,
        report,
      };
      for (const rule of index.match(candidate)) {
        const matched = matchedIds.get(rule.id) ?? new Set<string>();
        matched.add(indicator.stixId);
        matchedIds.set(rule.id, matched);
      }
    }
    const patterns = await this.patternIndicators(reportId, indicatorIds, indicators);
    for (const pattern of patterns) {
      const candidate = {
        indicatorId: pattern.stixId,
        types: pattern.patternType === 'stix' ? indicatorTypesOfPattern(pattern.pattern) : [],
        confidence: pattern.confidence,
        report,
      };
      for (const rule of index.matchPattern(candidate)) {
        const matched = matchedIds.get(rule.id) ?? new Set<string>();
        matched.add(pattern.stixId);
        matchedIds.set(rule.id, matched);
      }
    }
    if (matchedIds.size === 0) return { recipients: 0 };

    const wanted = [...new Set([...matchedIds.values()].flatMap((ids) => [...ids]))];
    const matches = await this.withObjects(
      reportId,
      matchedIds,
      [...indicators, ...patterns.map(asSourceIndicator)],
      ownConfidence,
      wanted,
    );
    const sources: WarningSources = {
      report,
      reportObject: await this.stixObjects.findReportObject(reportId),
      sightings: await this.stixObjects.findSightingsWrittenBy(reportId, wanted),
      statementsAbout,
    };

    const toWebhooks: WebhookWarning[] = [];
    const toEmail: EmailWarning[] = [];
    const streamed = new Map<string, { subscriptionIds: string[]; indicators: Map<string, SourceIndicator> }>();
    const constituencyMatches: { target: ConstituencyTarget; matched: Map<string, SourceIndicator> }[] = [];
    for (const [subscriptionId, matched] of matches) {
      const constituency = constituencyById.get(subscriptionId);
      if (constituency) {
        constituencyMatches.push({ target: constituency, matched });
        continue;
      }
      const subscription = byId.get(subscriptionId);
      if (!subscription) continue;
      const { organisationId, channels } = subscription;
      if (channels.webhookEndpointIds.length > 0 || channels.email.length > 0) {
        const envelope = buildWarningEnvelope(organisationId, subscriptionId, [subscriptionId], sources, [
          ...matched.values(),
        ]);
        for (const endpointId of channels.webhookEndpointIds) toWebhooks.push({ endpointId, organisationId, envelope });
        if (channels.email.length > 0) {
          toEmail.push({
            subscription: {
              id: subscriptionId,
              name: subscription.name,
              organisationId,
              acceptsRed: subscription.filters.acceptsRed,
            },
            channels: channels.email,
            envelope,
            report,
          });
        }
      }
      if (channels.stream) {
        const entry = streamed.get(organisationId) ?? { subscriptionIds: [] as string[], indicators: new Map() };
        entry.subscriptionIds.push(subscriptionId);
        matched.forEach((indicator, id) => entry.indicators.set(id, indicator));
        streamed.set(organisationId, entry);
      }
    }
    // A member's constituency warning joins its one stream warning about the report.
    const streamedConstituency = new Set<string>();
    for (const { target, matched } of constituencyMatches) {
      if (!target.channels.stream) continue;
      const entry = streamed.get(target.organisationId) ?? { subscriptionIds: [] as string[], indicators: new Map() };
      matched.forEach((indicator, id) => entry.indicators.set(id, indicator));
      streamed.set(target.organisationId, entry);
      streamedConstituency.add(target.organisationId);
    }
    // The index skips members that are not active, but one may have been suspended since it was built.
    const active = await this.organisations.activeAmong([
      ...new Set([
        ...toWebhooks.map((w) => w.organisationId),
        ...toEmail.map((w) => w.subscription.organisationId),
        ...streamed.keys(),
        ...constituencyMatches.map((c) => c.target.organisationId),
      ]),
    ]);
    const toConstituency = constituencyMatches
      .filter(({ target }) => active.has(target.organisationId))
      .map(({ target, matched }) => ({
        target,
        envelope: constituencyEnvelope(
          buildWarningEnvelope(target.organisationId, target.id, [], sources, [...matched.values()]),
        ),
      }));
    const toActiveWebhooks = [
      ...toWebhooks.filter((warning) => active.has(warning.organisationId)),
      ...constituencyWebhooks(toWebhooks, toConstituency),
    ];
    const toMails = await this.constituencyMails.compose(
      toConstituency.filter(({ target }) => target.channels.contacts).map(({ envelope }) => envelope),
    );
    const toStream: WarningForStream[] = [...streamed]
      .filter(([organisationId]) => active.has(organisationId))
      .map(([organisationId, entry]) => {
        const envelope = buildWarningEnvelope(organisationId, organisationId, entry.subscriptionIds, sources, [
          ...entry.indicators.values(),
        ]);
        return {
          organisationId,
          envelope: streamedConstituency.has(organisationId) ? constituencyEnvelope(envelope) : envelope,
        };
      });
    const toActiveEmail = toEmail.filter((warning) => active.has(warning.subscription.organisationId));
    const recipients = new Set([
      ...toActiveWebhooks.map((w) => w.organisationId),
      ...toActiveEmail.map((w) => w.subscription.organisationId),
      ...toStream.map((w) => w.organisationId),
      ...toMails.map((queued) => queued.mail.organisationId),
    ]);
    // Webhooks and mail first: their rows make a retry idempotent, while the stream is best effort on a retry.
    await this.webhooks.schedule(toActiveWebhooks, toMails);
    const emailWarnings = await this.mails.schedule(toActiveEmail);
    await this.streams.publishMany(toStream);
    // Who received what a member shared is the member's to know: counts, never the objects (after the fact: the
    // warnings are already out; a retried fan-out may count again).
    await this.audit.record({
      action: AuditAction.ObjectsShared,
      organisationId: report.organisationId,
      targetType: AuditTargetType.Report,
      targetId: reportId,
      details: {
        tlp: report.tlp,
        recipients: recipients.size,
        webhook_warnings: toActiveWebhooks.length,
        email_warnings: emailWarnings,
        stream_warnings: toStream.length,
        contact_mails: toMails.length,
        constituency_recipients: toConstituency.length,
        indicators: wanted.length,
      },
    });
    warningsFannedOut.inc({ channel: 'webhook' }, toActiveWebhooks.length);
    warningsFannedOut.inc({ channel: 'stream' }, toStream.length);
    warningsFannedOut.inc({ channel: 'email' }, emailWarnings);
    warningsFannedOut.inc({ channel: 'contact-mail' }, toMails.length);
    this.logger.log(
      { reportId, recipients: recipients.size, webhooks: toActiveWebhooks.length },
      'warnings fanned out',
    );
    return { recipients: recipients.size };
  }

  /**
   * The imported indicators no value stands for among the job's ids (those the value query did not answer), as this
   * report stored them; none to look for in most reports.
   */
  private async patternIndicators(
    reportId: string,
    indicatorIds: readonly string[],
    found: readonly IndicatorToMatch[],
  ): Promise<PatternIndicatorToMatch[]> {
    const known = new Set(found.map((indicator) => indicator.stixId));
    const others = indicatorIds.filter((id) => id.startsWith('indicator--') && !known.has(id));
    return others.length > 0 ? this.stixObjects.findPatternIndicatorsWrittenBy(reportId, others) : [];
  }

  /**
   * Scores, when a subscription filters on them: brought up to date first (the report's refresh job may not have run
   * yet), so a new report's indicator is matched on the score that counts this report.
   */
  private async scoresFor(
    audienceKey: string,
    indicators: readonly IndicatorToMatch[],
    rules: readonly { minScore: number | null }[],
  ): Promise<Map<string, number>> {
    if (indicators.length === 0 || rules.every((rule) => rule.minScore === null)) return new Map();
    const ids = indicators.map((indicator) => indicator.stixId);
    await this.indicatorViews.refresh(
      ids.map((stixId) => ({ stixId, audienceKey })),
      {
        decay: decayTable(this.config.indicators.lifetimeDays),
        falsePositiveThreshold: this.config.indicators.falsePositiveThreshold,
      },
    );
    return this.indicatorViews.scoresOf(ids);
  }

  /** The matched indicators of each subscription, with the objects this report wrote (loaded for those only). */
  private async withObjects(
    reportId: string,
    matchedIds: Map<string, Set<string>>,
    indicators: readonly (Omit<IndicatorToMatch, 'type'> & { type: string })[],
    ownConfidence: ReadonlyMap<string, Statement['confidence']>,
    wanted: string[],
  ): Promise<Map<string, Map<string, SourceIndicator>>> {
    const objects = await this.stixObjects.findObjectsWrittenBy(reportId, wanted);
    const complete = new Map<string, SourceIndicator>();
    for (const indicator of indicators) {
      const stored = objects.get(indicator.stixId);
      const confidence = ownConfidence.get(indicator.stixId) ?? indicator.confidence;
      if (stored) complete.set(indicator.stixId, { ...indicator, confidence, ...stored });
    }
    const matches = new Map<string, Map<string, SourceIndicator>>();
    for (const [ruleId, ids] of matchedIds) {
      const matched = new Map<string, SourceIndicator>();
      for (const id of ids) {
        const indicator = complete.get(id);
        if (indicator) matched.set(id, indicator);
      }
      if (matched.size > 0) matches.set(ruleId, matched);
    }
    return matches;
  }
}

/** A pattern indicator as a warning lists it: `pattern:<language>`, and the pattern as its value. */
const asSourceIndicator = (pattern: PatternIndicatorToMatch): Omit<IndicatorToMatch, 'type'> & { type: string } => ({
  stixId: pattern.stixId,
  type: `pattern:${pattern.patternType}`,
  value: pattern.pattern,
  confidence: pattern.confidence,
  validUntil: pattern.validUntil,
});

const constituencyEnvelope = (envelope: WarningEnvelope): WarningEnvelope => ({ ...envelope, constituency: true });

/**
 * Constituency warnings for the members' webhook endpoints, except where an endpoint already gets a warning about this
 * report from one of the member's subscriptions that holds every value the constituency warning would.
 */
function constituencyWebhooks(
  fromSubscriptions: readonly WebhookWarning[],
  constituency: readonly { target: ConstituencyTarget; envelope: WarningEnvelope }[],
): WebhookWarning[] {
  const covered = new Map<string, Set<string>>();
  for (const { endpointId, envelope } of fromSubscriptions) {
    const values = covered.get(endpointId) ?? new Set<string>();
    envelope.indicators.forEach((indicator) => values.add(indicator.stix_id));
    covered.set(endpointId, values);
  }
  return constituency.flatMap(({ target, envelope }) =>
    target.channels.webhookEndpointIds
      .filter((endpointId) => !envelope.indicators.every((i) => covered.get(endpointId)?.has(i.stix_id)))
      .map((endpointId) => ({ endpointId, organisationId: target.organisationId, envelope })),
  );
}

/** The statements about one value, looked up instead of scanned: figures are computed per (value, recipient). */
function statementsByValue(statements: readonly Statement[]): (value: { type: string; value: string }) => Statement[] {
  const byValue = new Map<string, Statement[]>();
  for (const statement of statements) {
    const key = `${statement.type}\n${statement.value}`;
    const about = byValue.get(key);
    if (about) about.push(statement);
    else byValue.set(key, [statement]);
  }
  return ({ type, value }) => byValue.get(`${type}\n${value}`) ?? [];
}
