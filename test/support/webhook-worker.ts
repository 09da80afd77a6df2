import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@vigia/config';
import { QueueName } from '@vigia/queue';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { bootTestApp } from './test-app';

/** The worker as main.ts builds it, consuming only the webhooks queue (deliveries start on init). */
export const bootWebhookWorker = (config: AppConfig): Promise<NestExpressApplication> =>
  bootTestApp(WorkerModule.register(config, [], { queues: [QueueName.Webhooks] }), config, { name: 'worker' });
