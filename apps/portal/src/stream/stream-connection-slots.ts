import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, REDIS_CLIENT, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { streamConnectionsKey } from '@vigia/warning-stream';
import Redis from 'ioredis';

/** A live connection stops counting when it has not been seen for this many heartbeats (its portal died). */
const STALE_AFTER_HEARTBEATS = 3;

// Drops stale members, then adds this one unless the organisation is at its limit. Atomic, so two portals racing
// for the last slot cannot both get it.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** A held connection slot: refresh it on each heartbeat, release it when the client goes. */
export interface StreamSlot {
  refresh(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Caps concurrent SSE connections per organisation across every portal instance: a Redis sorted set of connection
 * ids scored by when they were last seen, so a portal that crashes frees its slots after a few heartbeats.
 */
@Injectable()
export class StreamConnectionSlots {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 when the organisation already holds its maximum of streams. */
  async acquire(organisationId: string): Promise<StreamSlot> {
    const key = streamConnectionsKey(this.config.redis.prefix, organisationId);
    const member = randomUUID();
    const { maxConnectionsPerOrganisation: max, heartbeatMs } = this.config.warningStream;
    const staleMs = heartbeatMs * STALE_AFTER_HEARTBEATS;
    const now = Date.now();
    const acquired = await this.redis.eval(ACQUIRE, 1, key, now, now - staleMs, max, member, staleMs);
    if (acquired !== 1) {
      throw new VigiaException(
        ErrorCode.RateLimited,
        `At most ${max} concurrent streams per organisation; close one before opening another`,
        undefined,
        { 'Retry-After': String(Math.ceil(staleMs / 1000)) },
      );
    }
    return {
      refresh: async () => {
        await this.redis.multi().zadd(key, 'XX', Date.now(), member).pexpire(key, staleMs).exec();
      },
      release: async () => {
        await this.redis.zrem(key, member);
      },
    };
  }
}
