import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { subscriptionsVersionKey } from '@vigia/warning-stream';
import Redis from 'ioredis';
import { ActiveSubscription, SubscriptionRepository } from '@vigia/database';
import { SubscriptionIndex } from './matching/subscription-index';
import { SubscriptionRule } from './matching/subscription-rule';

/** Rebuilt at the latest this often even if no change was announced (a missed announcement heals itself). */
const MAX_AGE_MS = 30_000;

export interface IndexedSubscriptions {
  index: SubscriptionIndex;
  byId: ReadonlyMap<string, ActiveSubscription>;
}

/**
 * The subscription index, rebuilt only when the portal announces a change (it increments a version key in
 * Redis) or when it is older than `MAX_AGE_MS`: one GET per fan-out instead of loading every subscription.
 */
@Injectable()
export class SubscriptionIndexCache {
  private cached?: { version: string | null; builtAt: number; value: IndexedSubscriptions };
  private building?: Promise<IndexedSubscriptions>;

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async current(): Promise<IndexedSubscriptions> {
    const version = await this.redis.get(subscriptionsVersionKey(this.config.redis.prefix));
    const cached = this.cached;
    if (cached && cached.version === version && Date.now() - cached.builtAt < MAX_AGE_MS) return cached.value;
    // Concurrent fan-outs share one rebuild.
    this.building ??= this.build(version).finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(version: string | null): Promise<IndexedSubscriptions> {
    const active = await this.subscriptions.findActive();
    const value = { index: new SubscriptionIndex(active.map(toRule)), byId: new Map(active.map((s) => [s.id, s])) };
    this.cached = { version, builtAt: Date.now(), value };
    return value;
  }
}

export const toRule = ({ id, organisationId, filters }: ActiveSubscription): SubscriptionRule => ({
  id,
  organisationId,
  ...filters,
});
