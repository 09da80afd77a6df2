import { Module } from '@nestjs/common';
import { MailModule } from '@vigia/mail';
import { WarningStreamModule } from '@vigia/warning-stream';
import { WebhookDeliveryModule } from '../webhook-delivery/webhook-delivery.module';
import { IndicatorFeedbackHandler } from './indicator-feedback.handler';
import { IndicatorJobsHandler } from './indicator-jobs.handler';

/** The analysts' view of indicators (refresh, nightly scores) and feedback told to who shared (docs/indicators.md). */
@Module({
  imports: [WebhookDeliveryModule, WarningStreamModule, MailModule],
  providers: [IndicatorJobsHandler, IndicatorFeedbackHandler],
})
export class IndicatorsModule {}
