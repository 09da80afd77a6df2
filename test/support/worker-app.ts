import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@vigia/config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { bootTestApp } from './test-app';

/** The worker as main.ts builds it; its BullMQ workers start consuming on init. */
export const bootWorkerApp = (config: AppConfig): Promise<NestExpressApplication> =>
  bootTestApp(WorkerModule.register(config), config, { name: 'worker' });
