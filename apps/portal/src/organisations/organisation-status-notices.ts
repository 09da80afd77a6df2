import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { REDIS_CLIENT, redisConnectionOptions } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { OrganisationStatus } from '@vigia/database';
import { OrganisationStatusNotice, organisationStatusChannel, subscriptionsVersionKey } from '@vigia/warning-stream';
import Redis from 'ioredis';

export type OrganisationStatusListener = (organisationId: string, status: OrganisationStatus) => void;

/**
 * Tells every portal and worker instance that an organisation's status changed, once it is committed: the worker's
 * matcher rebuilds its index (the subscriptions version moves, so a suspended member's subscriptions pause), and each
 * portal hears it on a pub/sub channel (to end the member's open streams). Best effort: a notice lost while Redis is
 * away is made up for by the matcher's maximum index age and the streams' periodic status re-check.
 */
@Injectable()
export class OrganisationStatusNotices implements OnApplicationShutdown {
  private readonly logger = new Logger(OrganisationStatusNotices.name);
  private subscriber?: Redis;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async announce(organisationId: string, status: OrganisationStatus): Promise<void> {
    const { prefix } = this.config.redis;
    const notice: OrganisationStatusNotice = { organisation_id: organisationId, status };
    try {
      await this.redis
        .multi()
        .incr(subscriptionsVersionKey(prefix))
        .publish(organisationStatusChannel(prefix), JSON.stringify(notice))
        .exec();
    } catch (error) {
      this.logger.warn({ err: error, organisationId }, 'could not announce an organisation status change');
    }
  }

  /** Calls `listener` for every status change announced by any portal, from now on (a connection of its own). */
  listen(listener: OrganisationStatusListener): void {
    const channel = organisationStatusChannel(this.config.redis.prefix);
    // A subscribed connection can do nothing else. It subscribes each time it is ready: at boot, and after every
    // reconnection (also when Redis was away at boot, which ioredis's own resubscription would not cover).
    const subscriber = (this.subscriber ??= new Redis({
      ...redisConnectionOptions(this.config.redis.url),
      maxRetriesPerRequest: 1,
      autoResubscribe: false,
    }));
    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      const notice = parseNotice(message);
      if (notice) listener(notice.organisation_id, notice.status as OrganisationStatus);
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(channel).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not listen to organisation status changes; streams re-check instead');
      });
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}

function parseNotice(message: string): OrganisationStatusNotice | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<OrganisationStatusNotice>;
    return typeof parsed.organisation_id === 'string' && typeof parsed.status === 'string'
      ? { organisation_id: parsed.organisation_id, status: parsed.status }
      : undefined;
  } catch {
    return undefined;
  }
}
