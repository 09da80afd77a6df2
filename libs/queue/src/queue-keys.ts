/**
 * BullMQ's key prefix for `REDIS_PREFIX`: the prefix as a Redis Cluster hash tag (`vigia` → `{vigia}`). BullMQ's
 * scripts touch several keys of a queue at once, which a cluster allows only within one hash slot; with the tag,
 * every key of every queue (and the outbox marker, so it lives and is lost with them) hashes to one slot.
 */
export const queueKeyPrefix = (redisPrefix: string): string => `{${redisPrefix}}`;
