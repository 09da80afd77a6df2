import { Module } from '@nestjs/common';
import { WarningDeliveryModule } from '../warning-delivery/warning-delivery.module';
import { FanOutWarningsHandler } from './fan-out-warnings.handler';
import { SubscriptionIndexCache } from './subscription-index.cache';

/** Matching new indicators to subscriptions and handing the warnings to their channels. */
@Module({
  imports: [WarningDeliveryModule],
  providers: [FanOutWarningsHandler, SubscriptionIndexCache],
})
export class FanOutModule {}
