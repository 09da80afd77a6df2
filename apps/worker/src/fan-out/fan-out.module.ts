import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/** Matching new indicators to subscriptions and handing the warnings to their channels (webhooks, live stream). */
@Module({
  imports: [WebhookDeliveryModule, WarningStreamModule, AuditLogModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache],
})
export class FanOutModule {}
