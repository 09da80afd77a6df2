import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import type { ExecutionContext } from '@nestjs/common';

/**
 * Rate limit per organisation (not per IP: a CSIRT's tools may submit from many addresses). Runs after auth. Counts
 * live in Redis (`sharedThrottlerModule`), shared by every ingest instance.
 */
@Injectable()
export class OrganisationThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = request.user as OrganisationPrincipal | undefined;
    return Promise.resolve(principal ? `org:${principal.organisationId}` : `ip:${String(request.ip)}`);
  }

  protected override throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = String(Math.max(1, limit.timeToBlockExpire));
    throw new VigiaException(
      ErrorCode.RateLimited,
      `Rate limit of ${limit.limit} submissions per ${limit.ttl / 1000} s exceeded; retry after ${retryAfter} s`,
      undefined,
      { 'Retry-After': retryAfter },
    );
  }
}
