import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WarningMailModule } from '../warning-mail/warning-mail.module';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/** Matching new indicators to subscriptions and handing the warnings to their channels (webhooks, mail, stream). */
@Module({
  imports: [WebhookDeliveryModule, WarningMailModule, WarningStreamModule, AuditLogModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache],
})
export class FanOutModule {}
