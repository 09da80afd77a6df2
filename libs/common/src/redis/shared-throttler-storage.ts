import { DynamicModule, Logger } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule, ThrottlerOptions, ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { withTimeout } from './with-timeout';

/** The throttler's own type for one count, as `ThrottlerStorage.increment` answers it. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Redis answers within this or the throttle steps aside: a Redis outage must not stop submissions or sign-ups. */
const REDIS_TIMEOUT_MS = 1000;
/** ioredis client states in which the connection is lost. */
const REDIS_AWAY: ReadonlySet<string> = new Set(['close', 'reconnecting', 'end']);

/**
 * The @nestjs/throttler storage of every Vigia rate limit: counts live in Redis under `<REDIS_PREFIX>:throttle:`,
 * so every instance behind a load balancer counts the same hits and a restart forgets nothing. The key of one
 * count (hits and block) is one hash tag, so it stays in one slot of a Redis Cluster.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly storage: ThrottlerStorageRedisService;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // Given a client, the storage neither opens nor closes a connection of its own.
    this.storage = new ThrottlerStorageRedisService(redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // Redis is away (its connection lost, retrying): no request waits for it. While first connecting, it may.
    if (REDIS_AWAY.has(this.redis.status)) return notCounted(throttlerName, this.logger);
    try {
      return await withTimeout(
        this.storage.increment(`${this.prefix}:throttle:${key}`, ttl, limit, blockDuration, throttlerName),
        REDIS_TIMEOUT_MS,
      );
    } catch (error) {
      return notCounted(throttlerName, this.logger, error);
    }
  }
}

const notCounted = (throttler: string, logger: Logger, error?: unknown): ThrottlerStorageRecord => {
  logger.warn({ err: error, throttler }, 'Redis is not answering: this request is not rate limited');
  return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
};

/** `ThrottlerModule` with these limits, counted in Redis (`SharedThrottlerStorage`): use it for every rate limit. */
export const sharedThrottlerModule = (throttlers: (config: AppConfig) => ThrottlerOptions[]): DynamicModule =>
  ThrottlerModule.forRootAsync({
    inject: [APP_CONFIG, REDIS_CLIENT],
    useFactory: (config: AppConfig, redis: Redis) => ({
      throttlers: throttlers(config),
      storage: new SharedThrottlerStorage(redis, config.redis.prefix),
    }),
  });
