import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, Environment } from '@vigia/config';
import { ErrorCode } from '../errors/error-code';
import { VigiaException } from '../errors/vigia.exception';
import { Public } from '../http/public.decorator';
import { metricsRegistry } from './metrics';

const sameText = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Prometheus metrics. With `METRICS_TOKEN` set, only a scraper sending it as a bearer token reads them; without it
 * they are open outside production (a developer's machine) and absent in production, where they would tell anyone
 * the platform's load and error rates.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = this.config.http.metricsToken;
    if (token === undefined) {
      if (this.config.environment === Environment.Production) throw new VigiaException(ErrorCode.NotFound, 'Not found');
    } else if (!sameText(authorization ?? '', `Bearer ${token}`)) {
      throw new VigiaException(ErrorCode.Unauthenticated, 'Metrics need the bearer token set in METRICS_TOKEN');
    }
    return metricsRegistry.metrics();
  }
}
