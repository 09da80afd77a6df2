import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { subscriptionsVersionKey } from '@vigia/warning-stream';
import Redis from 'ioredis';

/**
 * Tells the worker's matcher that subscriptions changed (it rebuilds its index when the version moves). Best
 * effort: if Redis does not answer, the matcher still rebuilds within its maximum index age.
 */
@Injectable()
export class SubscriptionChanges {
  private readonly logger = new Logger(SubscriptionChanges.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async announce(): Promise<void> {
    try {
      await this.redis.incr(subscriptionsVersionKey(this.config.redis.prefix));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not announce a subscription change');
    }
  }
}
