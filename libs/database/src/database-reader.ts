import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { primaryWalPosition, replayedWalPosition } from './repositories/replication.repository';

/** How long an organisation's last write position is kept: reads wait for the replica to reach it meanwhile. */
export const WRITE_POSITION_TTL_MS = 5 * 60_000;
/** After the replica failed, reads stay on the primary this long before the replica is tried again. */
export const REPLICA_RETRY_AFTER_MS = 5_000;
/** A replica that does not accept a connection within this is taken as unreachable. */
const REPLICA_CONNECT_TIMEOUT_MS = 2_000;
/** `application_name` of the replica pool's connections (visible in the replica's `pg_stat_activity`). */
export const READER_APPLICATION_NAME = 'vigia-reader';

/** Keeps the larger of the stored and the given position (instances record out of order) and renews the TTL. */
const RECORD_POSITION = `
local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > stored then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;

/** A read that any server may answer. */
const ANY_POSITION = { position: -1 };

/** Network errors and the SQLSTATEs of a server that is gone or going (class 08, admin/crash shutdown, starting). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const UNREACHABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const UNREACHABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
/** `canceling statement due to conflict with recovery`: replay removed what the read needed; the primary answers. */
const RECOVERY_CONFLICT = '40001';

const codeOf = (error: unknown): string | undefined => {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const found = code ?? driverError?.code;
  return typeof found === 'string' ? found : undefined;
};

export function isUnreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code && (UNREACHABLE_CODES.has(code) || code.startsWith('08') || UNREACHABLE_SQLSTATES.has(code))) return true;
  return error instanceof Error && UNREACHABLE_MESSAGE.test(error.message);
}

/** What a log line may say about a replica failure: its kind and code, never the message (it may name the host). */
const failureOf = (error: unknown): Record<string, string> => ({
  type: typeof (error as { name?: unknown })?.name === 'string' ? (error as { name: string }).name : typeof error,
  ...(codeOf(error) ? { code: codeOf(error)! } : {}),
});

export interface ReplicaSettings {
  /** `DATABASE_READ_URL`. */
  url: string;
  poolSize: number;
  /** The shared Redis every instance records and reads write positions in. */
  redis: Redis;
  /** `REDIS_PREFIX`. */
  keyPrefix: string;
}

/**
 * Which pool a read runs on: the primary, or the streaming replica of `DATABASE_READ_URL` when one is configured
 * (docs/architecture.md "Reads on a replica"). Repositories of the read paths run their reads through `read`, naming
 * the organisation they read for; everything else stays on the primary.
 *
 * Read-your-writes: after a write commits, `recordWrite` stores the primary's WAL position for the organisation in
 * Redis (shared by every instance, so it holds behind a load balancer). A read for that organisation goes to the
 * replica only once the replica has replayed that far, otherwise to the primary. An unreachable replica sends every
 * read to the primary (said once in the log) and is tried again `REPLICA_RETRY_AFTER_MS` later.
 */
export class DatabaseReader implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private replica?: Promise<DataSource | undefined>;
  /** The highest replay position the replica answered: it only grows, so a write at or below it is there. */
  private replayed = -1;
  private unreachableSince?: number;
  private retryAt = 0;

  constructor(
    private readonly primary: DataSource,
    private readonly settings?: ReplicaSettings,
  ) {}

  /** A reader with no replica (scripts and benchmarks that build repositories themselves). */
  static primaryOnly(primary: DataSource): DatabaseReader {
    return new DatabaseReader(primary);
  }

  get replicaConfigured(): boolean {
    return this.settings !== undefined;
  }

  /**
   * Runs `work` on the replica when it may answer for `organisationId` (configured, reachable, and past that
   * organisation's last write), else on the primary; without an organisation, on the primary. A read the replica
   * fails for being unreachable, or cancels for a conflict with replay, is run again on the primary.
   */
  async read<T>(organisationId: string | undefined, work: (source: DataSource) => Promise<T>): Promise<T> {
    return this.readAt(organisationId, [ANY_POSITION], (source) => work(source));
  }

  /**
   * As `read`, for a read that is right only on a server holding a given WAL position: each candidate names one
   * (ascending). The replica answers with the newest candidate it holds (reached, and past the organisation's last
   * write); otherwise the primary answers with the newest candidate.
   */
  async readAt<T, C extends { position: number }>(
    organisationId: string | undefined,
    candidates: readonly C[],
    work: (source: DataSource, candidate: C) => Promise<T>,
  ): Promise<T> {
    const newest = candidates[candidates.length - 1]!;
    const replica =
      organisationId === undefined
        ? undefined
        : await this.replicaFor(organisationId, candidates[0]!.position, newest.position);
    const held = replica && [...candidates].reverse().find((candidate) => candidate.position <= this.replayed);
    if (!replica || !held) return work(this.primary, newest);
    try {
      const answer = await work(replica, held);
      this.markReachable();
      return answer;
    } catch (error) {
      if (isUnreachable(error)) this.markUnreachable(error);
      else if (codeOf(error) !== RECOVERY_CONFLICT) throw error;
      return work(this.primary, newest);
    }
  }

  /**
   * Notes that `organisationId` has just written (call after the commit, before answering): its reads stay on the
   * primary until the replica has replayed this far. Does nothing without a replica; never throws.
   */
  async recordWrite(organisationId: string): Promise<void> {
    if (!this.settings) return;
    try {
      const position = await primaryWalPosition(this.primary);
      await this.settings.redis.eval(
        RECORD_POSITION,
        1,
        this.positionKey(organisationId),
        String(position),
        String(WRITE_POSITION_TTL_MS),
      );
    } catch (error) {
      this.logger.warn(
        { organisationId, error: failureOf(error) },
        'write position not recorded: this organisation may read a replica that lags behind its write',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const replica = await this.replica;
    if (replica?.isInitialized) await replica.destroy();
  }

  private positionKey(organisationId: string): string {
    return `${this.settings!.keyPrefix}:read-replica:written:${organisationId}`;
  }

  /**
   * The replica, when it may answer for the organisation a read needing at least position `needed` (`wanted` would
   * be better): the replay position is asked afresh when the last one known falls short of either.
   */
  private async replicaFor(organisationId: string, needed: number, wanted: number): Promise<DataSource | undefined> {
    if (!this.settings || Date.now() < this.retryAt) return undefined;
    let written: number;
    try {
      written = Number((await this.settings.redis.get(this.positionKey(organisationId))) ?? -1);
    } catch {
      // Without the write positions nobody can tell what the replica lacks: the primary is always fresh.
      return undefined;
    }
    const replica = await this.connectReplica();
    if (!replica) return undefined;
    const required = Math.max(written, needed);
    if (Math.max(required, wanted) > this.replayed) {
      try {
        this.replayed = Math.max(this.replayed, await replayedWalPosition(replica));
        this.markReachable();
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        this.markUnreachable(error);
        return undefined;
      }
    }
    return required <= this.replayed ? replica : undefined;
  }

  /** The replica's data source, connected on first use; undefined (and marked unreachable) when it cannot be. */
  private connectReplica(): Promise<DataSource | undefined> {
    const settings = this.settings!;
    this.replica ??= new DataSource(
      dataSourceOptions(
        { url: settings.url, poolSize: settings.poolSize },
        { applicationName: READER_APPLICATION_NAME, connectTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS },
      ),
    )
      .initialize()
      .catch((error: unknown) => {
        this.replica = undefined;
        this.markUnreachable(error);
        return undefined;
      });
    return this.replica;
  }

  private markUnreachable(error: unknown): void {
    this.retryAt = Date.now() + REPLICA_RETRY_AFTER_MS;
    // What answers at the replica's address next may be another server, further behind: ask it afresh.
    this.replayed = -1;
    if (this.unreachableSince !== undefined) return;
    this.unreachableSince = Date.now();
    this.logger.warn(
      { error: failureOf(error), outcome: 'reads go to the primary', retryInMs: REPLICA_RETRY_AFTER_MS },
      'read replica unreachable',
    );
  }

  private markReachable(): void {
    if (this.unreachableSince === undefined) return;
    this.logger.log(
      { outcome: 'reads go to the replica again', unreachableForMs: Date.now() - this.unreachableSince },
      'read replica reachable again',
    );
    this.unreachableSince = undefined;
  }
}
