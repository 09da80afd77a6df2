import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@vigia/config';
import { Logger } from 'nestjs-pino';
import { createValidationPipe } from '../errors/validation';
import { initMetrics } from '../metrics/metrics';
import { bodyDeadline } from './body-deadline';

export interface HttpAppOptions {
  /** Used in logs, metrics labels and the OpenAPI title. */
  name: string;
  /** OpenAPI description; omit to serve no `/docs`. */
  docs?: string;
  /** JSON body limit in bytes or as '10mb'. */
  jsonLimit?: number | string;
  /** Media types parsed as JSON (default application/json). */
  jsonTypes?: string[];
  /** Keep the raw bytes of parsed bodies as `request.rawBody` (ingest stores submissions as received). */
  rawBody?: boolean;
  /** Lets an app add its own body parsers or middleware before routes are bound. */
  configure?: (app: NestExpressApplication) => void;
}

/** Builds an app the same way everywhere (e2e tests included): logger, validation, docs, shutdown hooks. */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  config: AppConfig,
  options: HttpAppOptions,
): Promise<NestExpressApplication> {
  initMetrics(options.name);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
    rawBody: options.rawBody ?? false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Security headers on every answer; pages that need their own policy (link pages) set it themselves.
  app.use(helmet());
  // Cross-origin calls only from the origins the operator lists (none by default): cookies make sessions.
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: config.http.corsOrigins, credentials: true, maxAge: 600 });
  }
  app.use(bodyDeadline(config.http.bodyTimeoutMs));
  // Browsers' sessions travel in cookies (libs/auth reads `request.cookies`).
  app.use(cookieParser());
  app.useBodyParser('json', { limit: options.jsonLimit ?? '1mb', type: options.jsonTypes ?? 'application/json' });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.set('trust proxy', config.environment === 'production' ? 'loopback, linklocal, uniquelocal' : false);
  options.configure?.(app);
  if (options.docs && config.http.docsEnabled) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`Vigia ${options.name}`)
        .setDescription(options.docs)
        .setVersion('1')
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'access-token')
        .addCookieAuth('vigia_access', { type: 'apiKey', in: 'cookie' }, 'session')
        .build(),
    );
    SwaggerModule.setup('docs', app, document);
  }
  return app;
}

/** Starts listening and logs the URL; `main.ts` of every app ends here. */
export async function listen(app: INestApplication, name: string, host: string, port: number): Promise<void> {
  await app.listen(port, host);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  app.get(Logger).log(`${name} listening on http://${shown}:${port}`);
}
