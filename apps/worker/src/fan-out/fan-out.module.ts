import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { MailModule } from '@vigia/mail';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { ConstituencyMails } from './constituency-mails';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/**
 * Matching new indicators to subscriptions and to members' constituencies, and handing the warnings to their channels
 * (webhooks, live stream, mail to 24/7 contacts).
 */
@Module({
  imports: [WebhookDeliveryModule, WarningStreamModule, AuditLogModule, MailModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache, ConstituencyMails],
})
export class FanOutModule {}
