import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ErrorCode, VigiaException } from '@vigia/common';

/** The throttler's name for application submissions (per address, per hour: `APPLICATION_RATE_LIMIT_PER_HOUR`). */
export const APPLICATION_THROTTLER = 'applications';

/**
 * Limits application submissions per client address (`request.ip`, which honours `trust proxy` in production).
 * Counts live in Redis (`sharedThrottlerModule`): every portal instance counts the same submissions.
 */
@Injectable()
export class ApplicationThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = String(Math.max(1, limit.timeToBlockExpire));
    throw new VigiaException(
      ErrorCode.RateLimited,
      `At most ${limit.limit} applications per hour from one address; retry after ${retryAfter} s`,
      undefined,
      { 'Retry-After': retryAfter },
    );
  }
}
