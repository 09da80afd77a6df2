import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { DeliveryToSend, RECIPIENT_SUSPENDED, WebhookDeliveryRepository, WebhookDeliveryStatus } from '@vigia/database';
import { DeliverWebhookPayload, JobFailureHandler, JobHandler, JobName, replayOfDeliveryJob } from '@vigia/queue';
import { signWebhook } from '@vigia/webhooks';
import { DelayedError, Job } from 'bullmq';
import { nextRetryDelay } from './retry-policy';
import { AttemptResult, WebhookSender } from './webhook-sender';

const USER_AGENT = 'Vigia-Webhooks/1.0';
const GONE = 410;

/** What a delivery job did, kept as the job's return value. */
export type DeliveryOutcome = 'delivered' | 'dead' | 'skipped' | 'superseded';

/**
 * One attempt of one delivery per run. A failed attempt reschedules the same job (`moveToDelayed`) for the next
 * delay of the retry schedule, so BullMQ's own attempts only cover the worker itself failing. 410 Gone disables the
 * endpoint; after the last scheduled retry the delivery is dead-lettered for its owner to replay.
 */
@Injectable()
export class DeliverWebhookHandler {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: WebhookDeliveryRepository,
    private readonly sender: WebhookSender,
  ) {}

  @JobHandler(JobName.DeliverWebhook)
  async deliver({ deliveryId }: DeliverWebhookPayload, job: Job): Promise<DeliveryOutcome> {
    const delivery = await this.store.findToSend(deliveryId);
    // Gone (its subscription was deleted), or finished by another run: nothing left to do.
    if (!delivery || !isOpen(delivery.status)) return 'skipped';
    if (delivery.endpointDisabled) {
      await this.store.markDead(delivery.id, 'endpoint disabled');
      return 'dead';
    }
    // Suspension dead-letters open deliveries in its transaction; this catches one queued in the meantime.
    if (!delivery.recipientActive) {
      await this.store.markDead(delivery.id, RECIPIENT_SUSPENDED);
      this.logger.log({ deliveryId, endpointId: delivery.endpointId }, 'webhook delivery dropped: recipient suspended');
      return 'dead';
    }

    const attempt = delivery.attempts + 1;
    const body = JSON.stringify(delivery.payload);
    const result = await this.sender.send({ url: delivery.url, body, headers: this.headers(delivery, body) });
    const { status, nextAttemptAt } = this.verdict(result, attempt);
    const moved = await this.store.recordAttempt({
      deliveryId: delivery.id,
      attempt,
      status,
      statusCode: result.statusCode,
      error: result.error,
      latencyMs: result.latencyMs,
      nextAttemptAt,
    });
    if (!moved) return 'superseded';
    if (result.statusCode === GONE) {
      await this.store.disableEndpoint(delivery.endpointId, 'receiver answered 410 Gone');
      this.logger.warn({ endpointId: delivery.endpointId, deliveryId }, 'webhook endpoint gone; disabled');
    }
    if (status !== WebhookDeliveryStatus.Failed || !nextAttemptAt) return status as 'delivered' | 'dead';

    await job.moveToDelayed(nextAttemptAt.getTime(), job.token);
    throw new DelayedError(`attempt ${attempt} failed (${result.error}); next at ${nextAttemptAt.toISOString()}`);
  }

  /**
   * BullMQ gave the job up without this handler finishing it (its worker died in it too often): dead-letter the
   * delivery so its owner sees why and can replay it. Only in the run the job was for: a replay since has a job of
   * its own, and a delivered delivery stays delivered.
   */
  @JobFailureHandler(JobName.DeliverWebhook)
  async deliveryAbandoned({ deliveryId }: DeliverWebhookPayload, reason: string, job: Pick<Job, 'id'>): Promise<void> {
    const replay = replayOfDeliveryJob(deliveryId, job.id);
    if (replay === undefined) throw new Error(`job ${job.id} is not a job of delivery ${deliveryId}`);
    const lastError = `delivery did not finish: ${reason}`;
    if (await this.store.markRunDead(deliveryId, replay, lastError)) {
      this.logger.warn({ deliveryId, jobId: job.id, reason: lastError }, 'webhook delivery dead-lettered');
    }
  }

  /** A fresh signature per attempt (the timestamp is part of it) with every valid secret; the id stays the same. */
  private headers(delivery: DeliveryToSend, body: string): Record<string, string> {
    const timestamp = new Date();
    return {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signWebhook({ id: delivery.id, timestamp, body, secrets: delivery.secrets }),
    };
  }

  private verdict(
    result: AttemptResult,
    attempt: number,
  ): { status: WebhookDeliveryStatus; nextAttemptAt: Date | null } {
    if (result.error === null) return { status: WebhookDeliveryStatus.Delivered, nextAttemptAt: null };
    if (result.statusCode === GONE) return { status: WebhookDeliveryStatus.Dead, nextAttemptAt: null };
    const delay = nextRetryDelay({
      schedule: this.config.webhooks.retryScheduleMs,
      failedAttempts: attempt,
      statusCode: result.statusCode,
      retryAfter: result.retryAfter,
      maxRetryAfterMs: this.config.webhooks.retryAfterMaxMs,
    });
    if (delay === undefined) return { status: WebhookDeliveryStatus.Dead, nextAttemptAt: null };
    return { status: WebhookDeliveryStatus.Failed, nextAttemptAt: new Date(Date.now() + delay) };
  }
}

const isOpen = (status: WebhookDeliveryStatus): boolean =>
  status === WebhookDeliveryStatus.Pending || status === WebhookDeliveryStatus.Failed;
