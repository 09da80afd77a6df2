import { Module } from '@nestjs/common';
import { WebhooksModule } from '@vigia/webhooks';
import { DeliverWebhookHandler } from './deliver-webhook.handler';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookSender } from './webhook-sender';

/** Webhook deliveries of matched warnings: scheduled by the fan-out (`WebhookDeliveryScheduler`), sent by the
 * deliver-webhook job. */
@Module({
  imports: [WebhooksModule],
  providers: [WebhookDeliveryScheduler, DeliverWebhookHandler, WebhookSender],
  exports: [WebhookDeliveryScheduler],
})
export class WebhookDeliveryModule {}
