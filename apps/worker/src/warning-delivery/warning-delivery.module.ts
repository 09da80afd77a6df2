import { Module } from '@nestjs/common';
import { WarningsModule } from '@vigia/warnings';
import { WebhooksModule } from '@vigia/webhooks';
import { ActiveSubscriptionsQuery } from './active-subscriptions.query';
import { DeliverWebhookHandler } from './deliver-webhook.handler';
import { DeliveryStore } from './delivery-store';
import { WebhookDeliveryScheduler } from './webhook-delivery.scheduler';
import { WebhookSender } from './webhook-sender';

/**
 * Where warnings go once matched: webhook deliveries (scheduled here, sent by the deliver-webhook job) and the
 * organisations' live streams. The fan-out imports this module for `ActiveSubscriptionsQuery`,
 * `WebhookDeliveryScheduler` and `WarningStreamPublisher`.
 */
@Module({
  imports: [WebhooksModule, WarningsModule],
  providers: [ActiveSubscriptionsQuery, WebhookDeliveryScheduler, DeliverWebhookHandler, DeliveryStore, WebhookSender],
  exports: [ActiveSubscriptionsQuery, WebhookDeliveryScheduler, WarningsModule],
})
export class WarningDeliveryModule {}
