import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The console submits reports here; the portal passes them to ingest as they are (same origin, no CORS). */
export const INGEST_FORWARD_PREFIX = '/ingest';

/** Headers that describe one hop and must not be passed on. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const passOn = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));

/**
 * Forwards `/ingest/api/v1/reports...` to ingest's `/api/v1/reports...`, streaming both ways (CSV files may be large;
 * ingest applies its own limits, and keeps the bytes as sent). Mounted at INGEST_FORWARD_PREFIX before the portal's
 * body parsers, which would otherwise consume the body. Ingest authenticates the request itself: the session cookie
 * and the CSRF header travel with it. Only the report routes are forwarded, nothing else of ingest.
 */
export function ingestForwarder(ingestUrl: string): RequestHandler {
  const logger = new Logger('IngestForward');
  const target = new URL(ingestUrl);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return (request: Request, response: Response, next: NextFunction): void => {
    // Mounted at the prefix, `request.url` is the rest of the path with its query.
    const path = request.url;
    if (!/^\/api\/v1\/reports(\/|\?|$)/.test(path)) return next();
    const forwarded = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path,
        headers: {
          ...passOn(request.headers),
          host: target.host,
          'x-forwarded-for': [request.headers['x-forwarded-for'], request.socket.remoteAddress]
            .filter(Boolean)
            .join(', '),
        },
      },
      (answer) => {
        response.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(passOn(answer.headers))) {
          if (value !== undefined) response.setHeader(name, value);
        }
        answer.pipe(response);
      },
    );
    forwarded.on('error', (error) => {
      logger.warn(`ingest unreachable for a forwarded submission: ${error.message}`);
      if (response.headersSent) return void response.destroy();
      response.status(503).json({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        message: 'Report intake is not reachable; try again shortly',
      });
    });
    request.pipe(forwarded);
  };
}
