import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PlatformModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { QueueModule } from '@vigia/queue';
import { JobDispatcherService } from './jobs/job-dispatcher.service';
import { NormaliseModule } from './normalise/normalise.module';

/** The BullMQ worker: normalisation into STIX and early-warning fan-out. HTTP only for /health and /metrics. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig, features: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forApp('worker', config), QueueModule, DiscoveryModule, NormaliseModule, ...features],
      providers: [JobDispatcherService],
    };
  }
}
