import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { WebhooksModule } from '@vigia/webhooks';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { SubscriptionChanges } from './subscription-changes';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [AuthModule, AuditLogModule, WebhooksModule],
  controllers: [SubscriptionsController, DeliveriesController],
  providers: [SubscriptionsService, DeliveriesService, SubscriptionChanges],
  exports: [SubscriptionChanges],
})
export class SubscriptionsModule {}
