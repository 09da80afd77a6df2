import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { MailModule } from '@vigia/mail';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WarningMailModule } from '../warning-mail/warning-mail.module';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { ConstituencyMails } from './constituency-mails';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/**
 * Matching new indicators to subscriptions and to members' constituencies, and handing the warnings to their channels
 * (webhooks, e-mail channels, live stream, mail to 24/7 contacts).
 */
@Module({
  imports: [WebhookDeliveryModule, WarningMailModule, WarningStreamModule, AuditLogModule, MailModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache, ConstituencyMails],
})
export class FanOutModule {}
