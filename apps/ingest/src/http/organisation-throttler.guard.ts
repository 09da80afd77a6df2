import { Injectable } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import type { ExecutionContext } from '@nestjs/common';

/** The named throttlers of ingest; each name is also the word the 429 uses for what was limited. */
export const IngestThrottler = {
  /** Report submissions in every format (`INGEST_RATE_LIMIT_PER_MINUTE`). */
  Submissions: 'submissions',
  /** Report status and own-report list reads (`INGEST_READ_RATE_LIMIT_PER_MINUTE`). */
  Reads: 'reads',
} as const;
type IngestThrottlerName = (typeof IngestThrottler)[keyof typeof IngestThrottler];

/** A submission route: counted by the submission limit only, so polling a report's status never uses it up. */
export const CountedAsSubmission = (): MethodDecorator & ClassDecorator =>
  SkipThrottle({ [IngestThrottler.Reads]: true });

/** A read-only route: counted by the read limit only. */
export const CountedAsRead = (): MethodDecorator & ClassDecorator =>
  SkipThrottle({ [IngestThrottler.Submissions]: true });

const isIngestThrottlerName = (name: string): name is IngestThrottlerName =>
  Object.values<string>(IngestThrottler).includes(name);

/**
 * Rate limits per organisation (not per IP: a CSIRT's tools may submit from many addresses). Runs after auth. Counts
 * live in Redis (`sharedThrottlerModule`), shared by every ingest instance.
 */
@Injectable()
export class OrganisationThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request.user as OrganisationPrincipal | undefined;
    return Promise.resolve(principal ? `org:${principal.organisationId}` : `ip:${String(request.ip)}`);
  }

  /**
   * One count per limit and organisation, whichever route: the default key is per handler, which would give each
   * submission format (JSON, STIX, MISP, CSV) a budget of its own. The name leads, so the 429 can say which limit.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = String(Math.max(1, limit.timeToBlockExpire));
    const name = limit.key.slice(0, limit.key.indexOf(':'));
    const limited = isIngestThrottlerName(name) ? name : 'requests';
    throw new VigiaException(
      ErrorCode.RateLimited,
      `Rate limit of ${limit.limit} ${limited} per ${limit.ttl / 1000} s exceeded; retry after ${retryAfter} s`,
      undefined,
      { 'Retry-After': retryAfter },
    );
  }
}
