import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WebhookDeliveryStatus } from '@vigia/database';
import { JobName, JobQueueService, deliveryJobId } from '@vigia/queue';
import { WarningEnvelope } from '@vigia/warnings';
import { DataSource } from 'typeorm';

/** One warning for one webhook endpoint of its recipient. */
export interface WebhookWarning {
  endpointId: string;
  /** The recipient; must own the endpoint. */
  organisationId: string;
  envelope: WarningEnvelope;
}

/**
 * Turns warnings into webhook deliveries: one row per (warning, endpoint) inserted in one statement, and one job
 * per delivery, so a slow or dead receiver only ever delays its own deliveries.
 *
 * Idempotent per (warning id, endpoint): scheduling the same warning again (a retried fan-out) inserts nothing new
 * and re-queues only deliveries still pending (their job ids are fixed, so BullMQ keeps one job each). Endpoints
 * that are disabled, deleted or not the recipient's are skipped.
 */
@Injectable()
export class WebhookDeliveryScheduler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueueService,
  ) {}

  async schedule(warnings: WebhookWarning[]): Promise<void> {
    const unique = [
      ...new Map(warnings.map((warning) => [`${warning.envelope.id} ${warning.endpointId}`, warning])).values(),
    ];
    if (unique.length === 0) return;
    const rows = (await this.dataSource.query(
      `INSERT INTO webhook_deliveries
              (endpoint_id, subscription_id, organisation_id, warning_id, event_type, payload, next_attempt_at)
       SELECT e.id, e.subscription_id, e.organisation_id, u.warning_id, u.event_type, u.payload, now()
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[])
              AS u(endpoint_id, organisation_id, warning_id, event_type, payload)
         JOIN webhook_endpoints e
           ON e.id = u.endpoint_id AND e.organisation_id = u.organisation_id AND e.disabled_at IS NULL
       ON CONFLICT (warning_id, endpoint_id) DO UPDATE SET warning_id = EXCLUDED.warning_id
       RETURNING id, status, replays`,
      [
        unique.map((warning) => warning.endpointId),
        unique.map((warning) => warning.organisationId),
        unique.map((warning) => warning.envelope.id),
        unique.map((warning) => warning.envelope.type),
        unique.map((warning) => JSON.stringify(warning.envelope)),
      ],
    )) as { id: string; status: WebhookDeliveryStatus; replays: number }[];
    await this.jobs.enqueueMany(
      JobName.DeliverWebhook,
      rows
        .filter((row) => row.status === WebhookDeliveryStatus.Pending)
        .map((row) => ({ payload: { deliveryId: row.id }, options: { jobId: deliveryJobId(row.id, row.replays) } })),
    );
  }
}
