import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import {
  DeliveryCursor,
  SubscriptionRepository,
  WebhookDeliveryRepository,
  WebhookDeliveryStatus,
} from '@vigia/database';
import { JobName, JobOutbox, JobQueueService, QueueName, deliveryJobId, outboxJob } from '@vigia/queue';
import { WEBHOOK_TEST_EVENT_TYPE, buildWebhookTestEvent } from '@vigia/webhooks';
import { DeliveryDto, DeliveryPageDto, ListDeliveriesQueryDto } from './dto/deliveries.dto';
import { toDeliveryDto } from './delivery.mapper';

const DEFAULT_PAGE_SIZE = 20;

/** The webhook delivery log of a subscription, replays of what could not be delivered, and test deliveries. */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly outbox: JobOutbox,
    private readonly queues: JobQueueService,
    private readonly audit: AuditLog,
  ) {}

  /** Newest first, with every attempt. */
  async list(organisationId: string, subscriptionId: string, query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    if (!(await this.subscriptions.existsOwned(organisationId, subscriptionId))) {
      throw new VigiaException(ErrorCode.NotFound, `No subscription ${subscriptionId}`);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.deliveries.listPage(subscriptionId, query.status, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const attempts = await this.deliveries.attemptsOf(page.map((row) => row.id));
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toDeliveryDto(row, attempts.get(row.id) ?? [])),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at_exact, id: last.id }) : null,
    };
  }

  /**
   * Sends a dead or failed delivery again from its first attempt: the row goes back to pending with its attempts
   * reset and its job (id with the replay number) is recorded in the same transaction, then queued. A still-delayed
   * retry of the previous run is removed so it cannot attempt too (the attempt counter guards it as well). The audit
   * event is appended in the replay's transaction.
   */
  async replay(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    subscriptionId: string,
    deliveryId: string,
  ): Promise<DeliveryDto> {
    const { organisationId } = principal;
    const audit = this.audit.event(
      {
        action: AuditAction.WebhookDeliveryReplayed,
        targetType: AuditTargetType.WebhookDelivery,
        targetId: deliveryId,
        details: { subscription_id: subscriptionId },
      },
      principal,
      origin,
    );
    const replayed = await this.deliveries.replay(
      organisationId,
      subscriptionId,
      deliveryId,
      (replays) => outboxJob(JobName.DeliverWebhook, { deliveryId }, deliveryJobId(deliveryId, replays)),
      audit,
    );
    if (!replayed) throw await this.whyNotReplayable(organisationId, subscriptionId, deliveryId);
    const previousJobId = deliveryJobId(deliveryId, replayed.delivery.replays - 1);
    await this.queues
      .queue(QueueName.Webhooks)
      .remove(previousJobId)
      .catch((error: unknown) => this.logger.warn({ deliveryId, err: error }, 'could not remove the previous run'));
    await this.outbox.dispatch([replayed.job]);
    return toDeliveryDto(replayed.delivery, (await this.deliveries.attemptsOf([deliveryId])).get(deliveryId) ?? []);
  }

  /**
   * A signed test event to one of the subscription's webhooks, sent by the worker like any delivery (the outbox, the
   * retry schedule, the delivery log), so its owner can check the receiver and its signature check. The delivery,
   * its job and the audit event are written in one transaction.
   */
  async sendTest(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    subscriptionId: string,
    endpointId: string,
  ): Promise<DeliveryDto> {
    const { organisationId } = principal;
    const event = buildWebhookTestEvent(organisationId, subscriptionId);
    const audit = this.audit.event(
      {
        action: AuditAction.WebhookTestSent,
        targetType: AuditTargetType.WebhookEndpoint,
        targetId: endpointId,
        details: { subscription_id: subscriptionId, test_id: event.id },
      },
      principal,
      origin,
    );
    const scheduled = await this.deliveries.scheduleOne(
      subscriptionId,
      { endpointId, organisationId, warningId: event.id, eventType: WEBHOOK_TEST_EVENT_TYPE, payload: event },
      (deliveryId) => outboxJob(JobName.DeliverWebhook, { deliveryId }, deliveryJobId(deliveryId)),
      audit,
    );
    if (!scheduled) {
      const endpoint = await this.subscriptions.findEndpointOwned(organisationId, subscriptionId, endpointId);
      if (!endpoint) {
        throw new VigiaException(ErrorCode.NotFound, `No webhook endpoint ${endpointId} in this subscription`);
      }
      throw new VigiaException(ErrorCode.Conflict, 'The webhook endpoint is disabled; enable it before testing it');
    }
    await this.outbox.dispatch([scheduled.job]);
    this.logger.log({ deliveryId: scheduled.delivery.id, endpointId, organisationId }, 'webhook test delivery queued');
    return toDeliveryDto(scheduled.delivery, []);
  }

  private async whyNotReplayable(
    organisationId: string,
    subscriptionId: string,
    deliveryId: string,
  ): Promise<VigiaException> {
    const found = await this.deliveries.replayBlocker(organisationId, subscriptionId, deliveryId);
    if (!found) return new VigiaException(ErrorCode.NotFound, `No delivery ${deliveryId} in this subscription`);
    if (found.endpointDisabled && isReplayable(found.status)) {
      return new VigiaException(ErrorCode.Conflict, 'The webhook endpoint is disabled; enable it before replaying');
    }
    return new VigiaException(
      ErrorCode.Conflict,
      `Delivery is ${found.status}; only dead or failed deliveries can be replayed`,
    );
  }
}

const isReplayable = (status: WebhookDeliveryStatus): boolean =>
  status === WebhookDeliveryStatus.Dead || status === WebhookDeliveryStatus.Failed;

const encodeCursor = (cursor: DeliveryCursor): string =>
  Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');

function decodeCursor(text: string): DeliveryCursor {
  const [createdAt, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const valid = createdAt !== undefined && !Number.isNaN(Date.parse(createdAt)) && /^[0-9a-f-]{36}$/i.test(id ?? '');
  if (!valid) throw validationException([{ path: 'cursor', value: text, reason: 'not a cursor this API returned' }]);
  return { createdAt, id: id as string };
}
