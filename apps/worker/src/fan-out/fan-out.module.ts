import { Module } from '@nestjs/common';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/** Matching new indicators to subscriptions and handing the warnings to their channels (webhooks, live stream). */
@Module({
  imports: [WebhookDeliveryModule, WarningStreamModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache],
})
export class FanOutModule {}
