import { Injectable } from '@nestjs/common';
import { QueuedMail, WebhookDeliveryRepository, WebhookDeliveryStatus } from '@vigia/database';
import { JobName, JobOutbox, deliveryJobId, outboxJob } from '@vigia/queue';
import { StreamEvent, WarningEnvelope } from '@vigia/warning-stream';

/** One warning (or another stream event) for one webhook endpoint of its recipient. */
export interface WebhookWarning<Event extends StreamEvent = WarningEnvelope> {
  endpointId: string;
  /** The recipient; must own the endpoint. */
  organisationId: string;
  envelope: Event;
}

/**
 * Turns warnings into webhook deliveries: one row per (warning, endpoint) and one job per delivery, recorded
 * together (outbox) and queued after the commit, so a slow or dead receiver only ever delays its own deliveries.
 *
 * Idempotent per (warning id, endpoint): scheduling the same warning again (a retried fan-out) inserts nothing new
 * and records jobs only for deliveries still pending (their job ids are fixed, so BullMQ keeps one job each).
 * Endpoints that are disabled, deleted or not the recipient's are skipped.
 */
@Injectable()
export class WebhookDeliveryScheduler {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly outbox: JobOutbox,
  ) {}

  /** Mails about the same warnings (`mails`, with fixed ids) are queued in the same transaction. */
  async schedule(warnings: readonly WebhookWarning<StreamEvent>[], mails: readonly QueuedMail[] = []): Promise<void> {
    const unique = [
      ...new Map(warnings.map((warning) => [`${warning.envelope.id} ${warning.endpointId}`, warning])).values(),
    ];
    const jobs = await this.deliveries.schedule(
      unique.map(({ endpointId, organisationId, envelope }) => ({
        endpointId,
        organisationId,
        warningId: envelope.id,
        eventType: envelope.type,
        payload: envelope,
      })),
      (scheduled) =>
        scheduled
          .filter((row) => row.status === WebhookDeliveryStatus.Pending)
          .map((row) => outboxJob(JobName.DeliverWebhook, { deliveryId: row.id }, deliveryJobId(row.id, row.replays))),
      mails,
    );
    await this.outbox.dispatch(jobs);
  }
}
