import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType } from '@vigia/audit';
import { IndicatorToMatch, ReportRepository, Statement, StixObjectRepository } from '@vigia/database';
import { FanOutWarningsPayload, JobHandler, JobName } from '@vigia/queue';
import { visibleFigures } from '@vigia/sharing';
import { WarningForStream, WarningStreamPublisher } from '@vigia/warning-stream';
import { UnrecoverableError } from 'bullmq';
import { WebhookDeliveryScheduler, WebhookWarning } from '../webhook-delivery/webhook-delivery.scheduler';
import { EmailWarning, WarningMailScheduler } from '../warning-mail/warning-mail.scheduler';
import { warningsFannedOut } from '../worker-metrics';
import { SubscriptionIndexCache } from './subscription-index.cache';
import { SourceIndicator, WarningSources, buildWarningEnvelope } from './warning-envelope.builder';

/**
 * Early warnings for one normalised report: every new or updated indicator is matched against the indexed
 * subscriptions (filters, constituency, sharing rule). Each subscription's webhook endpoints get one warning with what
 * that subscription matched (one delivery job per endpoint), and so do its e-mail channels (a mail now, or an item of
 * the next digest); each organisation's live stream gets one warning with what any of its streaming subscriptions
 * matched. Warning ids are fixed per (report, subscription or stream), so a retried job schedules no second delivery
 * and mails nobody twice.
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
    private readonly stixObjects: StixObjectRepository,
    private readonly subscriptions: SubscriptionIndexCache,
    private readonly streams: WarningStreamPublisher,
    private readonly webhooks: WebhookDeliveryScheduler,
    private readonly mails: WarningMailScheduler,
    private readonly audit: AuditLog,
  ) {}

  @JobHandler(JobName.FanOutWarnings)
  async handle({ reportId, indicatorIds }: FanOutWarningsPayload): Promise<{ recipients: number }> {
    const { index, byId } = await this.subscriptions.current();
    if (index.isEmpty) return { recipients: 0 };
    const report = await this.reports.findSource(reportId);
    if (!report) throw new UnrecoverableError(`report ${reportId} does not exist`);
    const indicators = await this.stixObjects.findAlertableWrittenBy(reportId, indicatorIds);
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
        report,
      };
      for (const rule of index.match(candidate)) {
        const matched = matchedIds.get(rule.id) ?? new Set<string>();
        matched.add(indicator.stixId);
        matchedIds.set(rule.id, matched);
      }
    }
    if (matchedIds.size === 0) return { recipients: 0 };

    const wanted = [...new Set([...matchedIds.values()].flatMap((ids) => [...ids]))];
    const matches = await this.withObjects(reportId, matchedIds, indicators, ownConfidence, wanted);
    const sources: WarningSources = {
      report,
      reportObject: await this.stixObjects.findReportObject(reportId),
      sightings: await this.stixObjects.findSightingsWrittenBy(reportId, wanted),
      statementsAbout,
    };

    const toWebhooks: WebhookWarning[] = [];
    const toEmail: EmailWarning[] = [];
    const streamed = new Map<string, { subscriptionIds: string[]; indicators: Map<string, SourceIndicator> }>();
    for (const [subscriptionId, matched] of matches) {
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
    const toStream: WarningForStream[] = [...streamed].map(([organisationId, entry]) => ({
      organisationId,
      envelope: buildWarningEnvelope(organisationId, organisationId, entry.subscriptionIds, sources, [
        ...entry.indicators.values(),
      ]),
    }));
    const recipients = new Set([
      ...toWebhooks.map((w) => w.organisationId),
      ...toEmail.map((w) => w.subscription.organisationId),
      ...streamed.keys(),
    ]);
    // Webhooks and mail first: their rows make a retry idempotent, while the stream is best effort on a retry.
    await this.webhooks.schedule(toWebhooks);
    const emailWarnings = await this.mails.schedule(toEmail);
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
        webhook_warnings: toWebhooks.length,
        email_warnings: emailWarnings,
        stream_warnings: toStream.length,
        indicators: wanted.length,
      },
    });
    warningsFannedOut.inc({ channel: 'webhook' }, toWebhooks.length);
    warningsFannedOut.inc({ channel: 'stream' }, toStream.length);
    warningsFannedOut.inc({ channel: 'email' }, emailWarnings);
    this.logger.log({ reportId, recipients: recipients.size, webhooks: toWebhooks.length }, 'warnings fanned out');
    return { recipients: recipients.size };
  }

  /** The matched indicators of each subscription, with the objects this report wrote (loaded for those only). */
  private async withObjects(
    reportId: string,
    matchedIds: Map<string, Set<string>>,
    indicators: IndicatorToMatch[],
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
