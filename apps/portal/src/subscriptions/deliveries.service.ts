import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { WebhookDeliveryStatus } from '@vigia/database';
import { JobName, JobQueueService, QueueName, deliveryJobId } from '@vigia/queue';
import { DataSource } from 'typeorm';
import { DeliveryDto, DeliveryPageDto, ListDeliveriesQueryDto } from './dto/deliveries.dto';
import { AttemptRow, DeliveryRow, toDeliveryDto } from './delivery.mapper';

const DEFAULT_PAGE_SIZE = 20;

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.warning_id, d.event_type, d.status, d.attempts, d.last_status_code,
  d.last_error, d.next_attempt_at, d.created_at, d.delivered_at, d.dead_at,
  to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact`;

/** Keyset position of a page's last row: created_at to the microsecond and id, base64url-encoded. */
interface Cursor {
  createdAt: string;
  id: string;
}

/** The webhook delivery log of a subscription, and replays of what could not be delivered. */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueueService,
  ) {}

  /** Newest first, with every attempt. */
  async list(organisationId: string, subscriptionId: string, query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    await this.checkSubscription(organisationId, subscriptionId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = (await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
        WHERE d.subscription_id = $1
          AND ($2::webhook_delivery_status IS NULL OR d.status = $2)
          AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $5`,
      [subscriptionId, query.status ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
    )) as DeliveryRow[];
    const page = rows.slice(0, limit);
    const attempts = await this.attemptsOf(page.map((row) => row.id));
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toDeliveryDto(row, attempts.get(row.id) ?? [])),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at_exact, id: last.id }) : null,
    };
  }

  /**
   * Sends a dead or failed delivery again from its first attempt: the row goes back to pending with its attempts
   * reset, then a job is queued (after the commit, so the job never reads the old state). The job id carries the
   * replay number; a still-delayed retry of the previous run is removed so it cannot attempt twice.
   */
  async replay(organisationId: string, subscriptionId: string, deliveryId: string): Promise<DeliveryDto> {
    const [rows] = (await this.dataSource.query(
      `UPDATE webhook_deliveries d
          SET status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = now(),
              last_status_code = NULL, last_error = NULL, dead_at = NULL
        WHERE d.id = $1 AND d.subscription_id = $2 AND d.organisation_id = $3 AND d.status IN ('dead', 'failed')
          AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)
        RETURNING ${DELIVERY_COLUMNS}, d.replays`,
      [deliveryId, subscriptionId, organisationId],
    )) as [(DeliveryRow & { replays: number })[], number];
    const [replayed] = rows;
    if (!replayed) throw await this.whyNotReplayable(organisationId, subscriptionId, deliveryId);
    try {
      await this.jobs.queue(QueueName.Webhooks).remove(deliveryJobId(deliveryId, replayed.replays - 1));
      await this.jobs.enqueue(
        JobName.DeliverWebhook,
        { deliveryId },
        { jobId: deliveryJobId(deliveryId, replayed.replays) },
      );
    } catch (error) {
      this.logger.warn({ deliveryId, err: error }, 'could not queue a replay');
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'dead', dead_at = now(), last_error = 'replay could not be queued'
          WHERE id = $1 AND status = 'pending' AND attempts = 0`,
        [deliveryId],
      );
      throw new VigiaException(ErrorCode.ServiceUnavailable, 'The replay could not be queued; try again shortly');
    }
    return toDeliveryDto(replayed, (await this.attemptsOf([deliveryId])).get(deliveryId) ?? []);
  }

  private async whyNotReplayable(
    organisationId: string,
    subscriptionId: string,
    deliveryId: string,
  ): Promise<VigiaException> {
    const [found] = (await this.dataSource.query(
      `SELECT d.status, e.disabled_at IS NOT NULL AS endpoint_disabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.subscription_id = $2 AND d.organisation_id = $3`,
      [deliveryId, subscriptionId, organisationId],
    )) as { status: WebhookDeliveryStatus; endpoint_disabled: boolean }[];
    if (!found) return new VigiaException(ErrorCode.NotFound, `No delivery ${deliveryId} in this subscription`);
    if (found.endpoint_disabled && isReplayable(found.status)) {
      return new VigiaException(ErrorCode.Conflict, 'The webhook endpoint is disabled; enable it before replaying');
    }
    return new VigiaException(
      ErrorCode.Conflict,
      `Delivery is ${found.status}; only dead or failed deliveries can be replayed`,
    );
  }

  private async checkSubscription(organisationId: string, subscriptionId: string): Promise<void> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM subscriptions WHERE id = $1 AND organisation_id = $2`, [
      subscriptionId,
      organisationId,
    ])) as unknown[];
    if (rows.length === 0) throw new VigiaException(ErrorCode.NotFound, `No subscription ${subscriptionId}`);
  }

  private async attemptsOf(deliveryIds: string[]): Promise<Map<string, AttemptRow[]>> {
    const byDelivery = new Map<string, AttemptRow[]>();
    if (deliveryIds.length === 0) return byDelivery;
    const rows = (await this.dataSource.query(
      `SELECT delivery_id, attempt, status_code, latency_ms, error, attempted_at FROM webhook_delivery_attempts
        WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempted_at, id`,
      [deliveryIds],
    )) as AttemptRow[];
    for (const row of rows) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
    return byDelivery;
  }
}

const isReplayable = (status: WebhookDeliveryStatus): boolean =>
  status === WebhookDeliveryStatus.Dead || status === WebhookDeliveryStatus.Failed;

const encodeCursor = (cursor: Cursor): string => Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');

function decodeCursor(text: string): Cursor {
  const [createdAt, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const valid = createdAt !== undefined && !Number.isNaN(Date.parse(createdAt)) && /^[0-9a-f-]{36}$/i.test(id ?? '');
  if (!valid) throw validationException([{ path: 'cursor', value: text, reason: 'not a cursor this API returned' }]);
  return { createdAt, id: id as string };
}
