import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { redisConnectionOptions } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './jobs';
import { JobOutbox } from './job-outbox.service';
import { JobQueueService } from './job-queue.service';
import { OutboxRelay } from './outbox-relay.service';
import { queueKeyPrefix } from './queue-keys';

const queues = Object.values(QueueName).map((name) => ({ name }));

/** BullMQ on the configured Redis, every queue registered, keys under `{REDIS_PREFIX}` (`queueKeyPrefix`); the outbox and its relay. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: redisConnectionOptions(config.redis.url),
        prefix: queueKeyPrefix(config.redis.prefix),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [JobQueueService, JobOutbox, OutboxRelay],
  exports: [BullModule, JobQueueService, JobOutbox, OutboxRelay],
})
export class QueueModule {}
