import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept so one request can be followed across ingest, queue and worker logs.
const requestIdFrom = (request: IncomingMessage, response: ServerResponse): string => {
  const given = request.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
};

/** The path alone: a query string can carry report fields (CSV uploads) or search terms, never logged. */
export const loggedPath = (url: string | undefined): string | undefined => url?.split('?', 1)[0];

const requestFields = (request: IncomingMessage & { id?: unknown }) => ({
  id: request.id,
  method: request.method,
  url: loggedPath(request.url),
  remoteAddress: request.socket?.remoteAddress,
});

const responseFields = (response: ServerResponse) => ({ statusCode: response.statusCode });

const MAX_LOGGED_MESSAGE = 1000;

/**
 * An error as logged: its kind, message, code and stack, nothing else. A failed query carries its SQL and
 * parameters (a whole report, TLP:RED included) and a driver error the values it choked on: never in a log line.
 */
export const loggedError = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { message: String(error).slice(0, MAX_LOGGED_MESSAGE) };
  const { code } = error as Error & { code?: unknown };
  return {
    type: error.name,
    message: error.message.slice(0, MAX_LOGGED_MESSAGE),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack?.split('\n').slice(0, 12).join('\n'),
  };
};

/** Structured JSON logs (pino) with a correlation id on every request line; no headers, so no secrets. */
@Module({})
export class LoggingModule {
  static forApp(app: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              base: { app },
              genReqId: requestIdFrom,
              // pino serialises a child logger's bindings when it is made, once per request: the request line
              // says what to follow a request by, and leaves headers (and the secrets among them) out.
              wrapSerializers: false,
              serializers: { req: requestFields, res: responseFields, err: loggedError },
              autoLogging: { ignore: (request: IncomingMessage) => /^\/(health|metrics)\b/.test(request.url ?? '') },
            },
          }),
        }),
      ],
    };
  }
}
