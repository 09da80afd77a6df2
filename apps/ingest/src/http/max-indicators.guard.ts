import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type { Request } from 'express';

/** 413 before validation when a JSON report lists more indicators than one report may carry. */
@Injectable()
export class MaxIndicatorsGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const body = context.switchToHttp().getRequest<Request>().body as { indicators?: unknown } | undefined;
    const count = Array.isArray(body?.indicators) ? body.indicators.length : 0;
    const max = this.config.ingest.maxIndicators;
    if (count > max) {
      throw new VigiaException(
        ErrorCode.PayloadTooLarge,
        `A report may carry at most ${max} indicators; this one has ${count}. Split it, or send a CSV.`,
      );
    }
    return true;
  }
}
