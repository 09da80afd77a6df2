import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { isUtf8 } from 'node:buffer';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@vigia/config';
import { Logger } from 'nestjs-pino';
import { createValidationPipe } from '../errors/validation';
import { initMetrics } from '../metrics/metrics';
import { bodyDeadline } from './body-deadline';

/**
 * The JSON parser would turn bytes that are not UTF-8 into U+FFFD and let them be stored (a name, a password):
 * refused at the door with a 400 instead. Other charsets (UTF-16, UTF-32) are left to the parser.
 */
const refuseInvalidUtf8 = (_request: unknown, _response: unknown, body: Buffer, encoding: string): void => {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('The body is not valid UTF-8'), { status: 400 });
  }
};

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
  /** Middleware that must see requests before the body parsers (a forwarding proxy streams bodies untouched). */
  beforeParsers?: (app: NestExpressApplication) => void;
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
  options.beforeParsers?.(app);
  app.useBodyParser('json', {
    limit: options.jsonLimit ?? '1mb',
    type: options.jsonTypes ?? 'application/json',
    verify: refuseInvalidUtf8,
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.set('trust proxy', config.environment === 'production' ? 'loopback, linklocal, uniquelocal' : false);
  options.configure?.(app);
  if (options.docs && config.http.docsEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app, options.name, options.docs));
  }
  return app;
}

/** The app's OpenAPI document, as `/docs` serves it. */
function buildOpenApiDocument(app: INestApplication, name: string, description: string): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Vigia ${name}`)
      .setDescription(description)
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'access-token')
      .addCookieAuth('vigia_access', { type: 'apiKey', in: 'cookie' }, 'session')
      .build(),
  );
}

/**
 * The OpenAPI document of an app without a database, Redis or a port: Nest's preview mode builds the module graph
 * (controllers and their metadata) without instantiating providers. The console's typed client is generated from it.
 */
export async function openApiDocumentOf(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions & { docs: string },
): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(module, { preview: true, logger: false });
  try {
    return buildOpenApiDocument(app, options.name, options.docs);
  } finally {
    await app.close();
  }
}

/** Starts listening and logs the URL; `main.ts` of every app ends here. */
export async function listen(app: INestApplication, name: string, host: string, port: number): Promise<void> {
  await app.listen(port, host);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  app.get(Logger).log(`${name} listening on http://${shown}:${port}`);
}
