import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PlatformModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { DatabaseModule } from '@vigia/database';
import { QueueModule, QueueName } from '@vigia/queue';
import { CONSUMED_QUEUES, JobDispatcherService, WORKER_QUEUES } from './jobs/job-dispatcher.service';
import { NormaliseModule } from './normalise/normalise.module';
import { FanOutModule } from './fan-out/fan-out.module';
import { WebhookDeliveryModule } from './webhook-delivery/webhook-delivery.module';
import { WorkerMailModule } from './mail/mail.module';
import { IndicatorsModule } from './indicators/indicators.module';

export interface WorkerOptions {
  /** Consume only these queues (e.g. a process dedicated to webhook delivery); default every consumed queue. */
  queues?: QueueName[];
}

/** The BullMQ worker: normalisation into STIX, early-warning fan-out, webhook and mail delivery. HTTP only for /health and /metrics. */
@Module({})
export class WorkerModule {
  static register(
    config: AppConfig,
    features: DynamicModule['imports'] = [],
    options: WorkerOptions = {},
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forApp('worker', config),
        DatabaseModule,
        QueueModule,
        DiscoveryModule,
        NormaliseModule,
        WebhookDeliveryModule,
        FanOutModule,
        WorkerMailModule,
        IndicatorsModule,
        ...features,
      ],
      providers: [
        JobDispatcherService,
        { provide: WORKER_QUEUES, useValue: options.queues ?? (Object.keys(CONSUMED_QUEUES) as QueueName[]) },
      ],
    };
  }
}
