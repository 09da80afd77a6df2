import { Module } from '@nestjs/common';
import { WarningsModule } from '@vigia/warnings';
import { WebhooksModule } from '@vigia/webhooks';
import { DeliverWebhookHandler } from './deliver-webhook.handler';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookSender } from './webhook-sender';

/**
 * Where warnings go once matched: webhook deliveries (scheduled here, sent by the deliver-webhook job) and the
 * organisations' live streams. The fan-out imports this module for `WebhookDeliveryScheduler` and
 * `WarningStreamPublisher`.
 */
@Module({
  imports: [WebhooksModule, WarningsModule],
  providers: [WebhookDeliveryScheduler, DeliverWebhookHandler, WebhookSender],
  exports: [WebhookDeliveryScheduler, WarningsModule],
})
export class WarningDeliveryModule {}
