import { Injectable, Logger } from '@nestjs/common';
import { DirectoryRepository, FeedbackToDeliver, IndicatorRepository, QueuedMail } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { Mailer } from '@vigia/mail';
import { DeliverIndicatorFeedbackPayload, JobHandler, JobName } from '@vigia/queue';
import { mayReceive, storedScope } from '@vigia/sharing';
import {
  FEEDBACK_EVENT_TYPE,
  FEEDBACK_ID_PREFIX,
  FeedbackKind,
  IndicatorFeedbackEvent,
  WarningStreamPublisher,
} from '@vigia/warning-stream';
import { v5 as uuidV5 } from 'uuid';
import { WebhookDeliveryScheduler, WebhookWarning } from '../webhook-delivery/webhook-delivery.scheduler';
import { INDICATOR_FEEDBACK_MAIL, INDICATOR_FEEDBACK_MAIL_CATEGORY } from './feedback.mail';

/** Namespace of feedback event ids (per feedback and recipient) and mail ids (per event and contact). */
const FEEDBACK_NAMESPACE = '0c6b7f2e-5d1a-4e39-b8a4-2f9e6d3c1b57';

/** Levels whose values may go in a mail that is not encrypted. */
const CLEAR_TEXT_LEVELS: readonly string[] = [TlpLevel.Clear, TlpLevel.Green];

/**
 * Feedback flows back to whoever shared: a member's sighting of, or feedback on, an indicator goes to every other
 * organisation with a statement about it, on its stream, its webhooks (event `indicator.feedback`; per distinct URL the
 * oldest enabled endpoint of its active subscriptions) and by mail to its 24/7 contacts; only where the sharing rule
 * lets it receive the feedback under the TLP its author chose (RED only named recipients, and not through these
 * channels, which feed other systems: RED feedback is read in the portal). Event and mail ids are fixed, so a retried
 * job delivers nothing twice (the stream is best effort on a retry, as for warnings).
 */
@Injectable()
export class IndicatorFeedbackHandler {
  private readonly logger = new Logger('IndicatorFeedback');

  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly directory: DirectoryRepository,
    private readonly webhooks: WebhookDeliveryScheduler,
    private readonly streams: WarningStreamPublisher,
    private readonly mailer: Mailer,
  ) {}

  @JobHandler(JobName.DeliverIndicatorFeedback)
  async deliver({ objectId, suppressed }: DeliverIndicatorFeedbackPayload): Promise<{ recipients: number }> {
    const found = await this.indicators.findFeedbackToDeliver(objectId);
    if (!found) return { recipients: 0 };
    const scope = storedScope(found.object.createdByOrg ?? '', found.object.tlp, found.object.recipients);
    const events = found.producers
      .filter((producer) =>
        mayReceive({ organisationId: producer.organisationId, active: true }, scope, { acceptsRed: false }),
      )
      .map((producer) => ({ producer, event: feedbackEvent(found, producer.organisationId, suppressed) }));
    const webhooks: WebhookWarning<IndicatorFeedbackEvent>[] = events.flatMap(({ producer, event }) =>
      producer.webhookEndpointIds.map((endpointId) => ({
        endpointId,
        organisationId: producer.organisationId,
        envelope: event,
      })),
    );
    const mails = await this.mails(
      events.map(({ event }) => event),
      found,
    );
    await this.webhooks.schedule(webhooks, mails);
    await this.streams.publishMany(
      events.map(({ producer, event }) => ({ organisationId: producer.organisationId, envelope: event })),
    );
    this.logger.log(
      { objectId, recipients: events.length, webhooks: webhooks.length, mails: mails.length },
      'indicator feedback delivered',
    );
    return { recipients: events.length };
  }

  /**
   * One mail per address of each recipient: its 24/7 contacts and the e-mail channels of its active subscriptions (at
   * once, whatever a channel's digest mode: feedback is not a warning); the value only when the mail is encrypted or
   * both TLPs are CLEAR or GREEN.
   */
  private async mails(events: readonly IndicatorFeedbackEvent[], found: FeedbackToDeliver): Promise<QueuedMail[]> {
    if (events.length === 0) return [];
    const contactsOf = await this.directory.findContacts(events.map((event) => event.organisation_id));
    const keys = await this.directory.findPgpKeys(
      [...contactsOf.values()].flat().flatMap((contact) => (contact.pgpFingerprint ? [contact.id] : [])),
    );
    const channelsOf = new Map(found.producers.map((producer) => [producer.organisationId, producer.emailChannels]));
    const clearText = CLEAR_TEXT_LEVELS.includes(found.indicator.tlp) && CLEAR_TEXT_LEVELS.includes(found.object.tlp);
    return events.flatMap((event) => {
      const addresses = new Map<string, { to: string; locale: string; pgpPublicKey: string | null }>();
      for (const contact of contactsOf.get(event.organisation_id) ?? []) {
        const to = {
          to: contact.email,
          locale: contact.languages.join(','),
          pgpPublicKey: keys.get(contact.id) ?? null,
        };
        addresses.set(contact.email.toLowerCase(), to);
      }
      for (const channel of channelsOf.get(event.organisation_id) ?? []) {
        if (!addresses.has(channel.address.toLowerCase())) {
          addresses.set(channel.address.toLowerCase(), { to: channel.address, ...channel });
        }
      }
      return [...addresses].map(([address, { to, locale, pgpPublicKey }]) =>
        this.mailer.compose(
          INDICATOR_FEEDBACK_MAIL,
          { event, value: pgpPublicKey !== null || clearText ? event.indicator.value : null },
          {
            id: uuidV5(`${event.id}/${address}`, FEEDBACK_NAMESPACE),
            to,
            locale,
            pgpPublicKey,
            category: INDICATOR_FEEDBACK_MAIL_CATEGORY,
            organisationId: event.organisation_id,
          },
        ),
      );
    });
  }
}

function kindOf(object: Record<string, unknown>): FeedbackKind {
  if (object.type === 'sighting') return 'sighting';
  return object.opinion === 'strongly-disagree' || object.opinion === 'disagree' ? 'false-positive' : 'confirmed';
}

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function feedbackEvent(found: FeedbackToDeliver, recipient: string, suppressedNow: boolean): IndicatorFeedbackEvent {
  const { object, indicator } = found;
  const stix = object.object;
  const kind = kindOf(stix);
  return {
    id: `${FEEDBACK_ID_PREFIX}${uuidV5(`${object.stixId}/${recipient}`, FEEDBACK_NAMESPACE)}`,
    type: FEEDBACK_EVENT_TYPE,
    created_at: new Date().toISOString(),
    organisation_id: recipient,
    feedback: {
      stix_id: object.stixId,
      kind,
      tlp: object.tlp,
      organisation: { id: object.createdByOrg ?? '', name: found.authorName },
      comment: textOf(kind === 'sighting' ? stix.description : stix.explanation),
      ...(kind === 'sighting'
        ? {
            count: typeof stix.count === 'number' ? stix.count : 1,
            first_seen: textOf(stix.first_seen),
            last_seen: textOf(stix.last_seen),
            // A member's sighting names its own identity where sighted when it was in its constituency.
            where:
              Array.isArray(stix.where_sighted_refs) && stix.where_sighted_refs.length > 0
                ? ('constituency' as const)
                : ('elsewhere' as const),
          }
        : {}),
    },
    indicator: {
      stix_id: indicator.stixId,
      type: indicator.type,
      value: indicator.value,
      tlp: indicator.tlp,
      score: indicator.score,
      false_positive_org_count: indicator.falsePositiveOrgCount,
      suppressed: indicator.fpSuppressed,
    },
    suppressed_now: suppressedNow,
    object: stix,
  };
}
