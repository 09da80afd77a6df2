import { Module } from '@nestjs/common';
import { WebhookUrlPolicy } from './webhook-url.policy';

/** The webhook URL policy for the portal (when saving) and the worker (before each attempt). */
@Module({ providers: [WebhookUrlPolicy], exports: [WebhookUrlPolicy] })
export class WebhooksModule {}
