import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, REDIS_CLIENT, VigiaException, withTimeout } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import Redis from 'ioredis';

/** Failures count for this long after the last one. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Wrong passwords for one account before it is locked for the window (guessing one person's password). */
export const MAX_ACCOUNT_FAILURES = 10;
/** Failed sign-ins from one address, whatever the accounts (spraying one password over many accounts). */
export const MAX_ADDRESS_FAILURES = 50;
/** Redis answers within this or the throttle steps aside: a Redis outage must not stop people signing in. */
const REDIS_TIMEOUT_MS = 1000;

type Counts = { account: number; accountTtlMs: number; address: number; addressTtlMs: number };

/**
 * Slows password guessing: failed sign-ins are counted per account and per address in Redis (shared by every
 * portal); past a limit sign-in answers 429 with Retry-After, the right password included, until the window passes.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger(SignInThrottle.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 when the account or the address failed too often lately. */
  async check(email: string, address: string | undefined): Promise<void> {
    const keys = this.keysOf(email, address);
    const counts = await this.withinTimeout(async (): Promise<Counts> => {
      const answers = (await this.redis
        .multi()
        .get(keys.account)
        .pttl(keys.account)
        .get(keys.address)
        .pttl(keys.address)
        .exec()) as [Error | null, string | number | null][] | null;
      const value = (index: number): number => Number(answers?.[index]?.[1] ?? 0);
      return { account: value(0), accountTtlMs: value(1), address: value(2), addressTtlMs: value(3) };
    });
    if (!counts) return;
    if (counts.account >= MAX_ACCOUNT_FAILURES) {
      // The account is locked (423); an address failing over many accounts is slowed down (429).
      throw refusal(ErrorCode.Locked, 'Too many wrong passwords for this account', counts.accountTtlMs);
    }
    if (counts.address >= MAX_ADDRESS_FAILURES) {
      throw refusal(ErrorCode.RateLimited, 'Too many failed sign-ins from this address', counts.addressTtlMs);
    }
  }

  /**
   * Counts a failed sign-in. Answers the lock's length in seconds when this failure is the one that locks the
   * account (its count reaches the limit: once per lock, as refused attempts are not counted), else undefined.
   */
  async recordFailure(email: string, address: string | undefined): Promise<number | undefined> {
    const keys = this.keysOf(email, address);
    const answers = await this.withinTimeout(() =>
      this.redis
        .multi()
        .incr(keys.account)
        .pexpire(keys.account, FAILURE_WINDOW_MS)
        .incr(keys.address)
        .pexpire(keys.address, FAILURE_WINDOW_MS)
        .exec(),
    );
    const accountFailures = Number(answers?.[0]?.[1] ?? 0);
    return accountFailures === MAX_ACCOUNT_FAILURES ? Math.ceil(FAILURE_WINDOW_MS / 1000) : undefined;
  }

  /** A right password clears the account's failures (not the address's: one good account must not reset spraying). */
  async recordSuccess(email: string): Promise<void> {
    await this.withinTimeout(() => this.redis.del(this.keysOf(email, undefined).account));
  }

  private keysOf(email: string, address: string | undefined): { account: string; address: string } {
    // One hash tag: the account's and the address's counts change in one MULTI, which a Redis Cluster allows only
    // within one slot.
    const prefix = `{${this.config.redis.prefix}:sign-in-failures}`;
    // Hashed, so e-mail addresses do not sit in Redis.
    const account = createHash('sha256').update(email, 'utf8').digest('hex');
    return { account: `${prefix}:account:${account}`, address: `${prefix}:address:${address ?? 'unknown'}` };
  }

  private async withinTimeout<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work(), REDIS_TIMEOUT_MS);
    } catch (error) {
      this.logger.warn({ err: error }, 'Redis failed or did not answer: sign-in is not throttled for this request');
      return undefined;
    }
  }
}

const refusal = (code: ErrorCode, reason: string, ttlMs: number): VigiaException => {
  const seconds = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : FAILURE_WINDOW_MS) / 1000));
  return new VigiaException(code, `${reason}: try again in ${seconds} s`, undefined, {
    'Retry-After': String(seconds),
  });
};
