import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT, redisConnectionOptions } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import Redis from 'ioredis';
import { STREAM_FIELD, compareStreamIds, warningStreamKey } from './warning-stream-keys';

/** One entry of an organisation's warning stream: `data` is the envelope JSON as published. */
export interface WarningStreamEntry {
  id: string;
  event: string;
  data: string;
}

type RawEntry = [id: string, fields: string[]];

const toEntry = ([id, fields]: RawEntry): WarningStreamEntry => {
  const value = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
  return { id, event: value(STREAM_FIELD.event), data: value(STREAM_FIELD.data) };
};

/**
 * Blocking reads on a connection of its own: XREAD BLOCK holds its connection until something arrives, so it
 * cannot share the app's client. Close it when the reader (an SSE client) goes away.
 */
export class WarningStreamTail {
  private constructor(
    private readonly connection: Redis,
    private readonly key: string,
  ) {}

  static async open(url: string, key: string): Promise<WarningStreamTail> {
    // Fail fast rather than queue while Redis is away: the SSE client reconnects and resumes by its last id.
    const connection = new Redis({
      ...redisConnectionOptions(url),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await connection.connect();
    return new WarningStreamTail(connection, key);
  }

  /** Entries after `afterId`, waiting up to `blockMs` for the first one; empty when none came. */
  async readAfter(afterId: string, blockMs: number, count = 100): Promise<WarningStreamEntry[]> {
    const result = (await this.connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.key, afterId)) as
      [string, RawEntry[]][] | null;
    return result?.[0]?.[1].map(toEntry) ?? [];
  }

  /** Ends the connection, failing a read in progress. */
  close(): void {
    this.connection.disconnect();
  }
}

/** Reads an organisation's warning stream for the SSE endpoint: what a client missed, then live entries. */
@Injectable()
export class WarningStreamReader {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  key(organisationId: string): string {
    return warningStreamKey(this.config.redis.prefix, organisationId);
  }

  /** The newest entry id, or `0-0` for an empty stream: where a client without history starts. */
  async latestId(organisationId: string): Promise<string> {
    const [newest] = (await this.redis.xrevrange(this.key(organisationId), '+', '-', 'COUNT', 1)) as RawEntry[];
    return newest?.[0] ?? '0-0';
  }

  /** Up to `count` entries strictly after `afterId`, oldest first. */
  async rangeAfter(organisationId: string, afterId: string, count: number): Promise<WarningStreamEntry[]> {
    const entries = (await this.redis.xrange(
      this.key(organisationId),
      `(${afterId}`,
      '+',
      'COUNT',
      count,
    )) as RawEntry[];
    return entries.map(toEntry);
  }

  /**
   * True when a client resuming after `lastId` may have missed entries because they were removed: trimmed from the
   * head (by length or age: `lastId` is older than the oldest entry kept) or deleted (Redis 7 records the newest
   * deleted id). Trimming cannot say whether anything lay between `lastId` and the oldest entry kept, so this errs
   * on the side of announcing a gap.
   */
  async lostEntriesAfter(organisationId: string, lastId: string): Promise<boolean> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.key(organisationId))) as unknown[];
    } catch {
      // No stream at all: whatever the client saw is gone (or never existed).
      return compareStreamIds(lastId, '0-0') > 0;
    }
    const field = (name: string): unknown => (info.includes(name) ? info[info.indexOf(name) + 1] : undefined);
    const maxDeleted = field('max-deleted-entry-id');
    if (typeof maxDeleted === 'string' && compareStreamIds(maxDeleted, lastId) > 0) return true;
    const firstEntry = field('first-entry') as RawEntry | null | undefined;
    if (firstEntry) return compareStreamIds(lastId, firstEntry[0]) < 0;
    // Empty: everything after lastId, if anything came after it, is gone.
    return compareStreamIds(String(field('last-generated-id') ?? '0-0'), lastId) > 0;
  }

  /** A dedicated connection for blocking reads of this organisation's stream. */
  openTail(organisationId: string): Promise<WarningStreamTail> {
    return WarningStreamTail.open(this.config.redis.url, this.key(organisationId));
  }
}
