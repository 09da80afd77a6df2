import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The console submits reports here; the portal passes them to ingest as they are (same origin, no CORS). */
export const INGEST_FORWARD_PREFIX = '/ingest';

/** Headers that describe one hop and must not be passed on (the portal asks ingest for 100 Continue itself). */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'expect',
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

const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/** How long the body waits for ingest's 100 Continue (or answer) before it is sent anyway, as HTTP allows. */
const CONTINUE_WAIT_MS = 2000;

/**
 * Forwards `/ingest/api/v1/reports...` to ingest's `/api/v1/reports...`, streaming both ways (CSV files may be large;
 * ingest applies its own limits, and keeps the bytes as sent). Mounted at INGEST_FORWARD_PREFIX before the portal's
 * body parsers, which would otherwise consume the body. Ingest authenticates the request itself: the session cookie
 * and the CSRF header travel with it. Only the report routes are forwarded, nothing else of ingest.
 *
 * A body is sent once ingest says 100 Continue, which it does when it starts reading it: a submission it refuses
 * first (429, 401...) is never sent to it, and its answer reaches the client as it is, with its reason and
 * Retry-After, while the rest of the client's body is read and dropped.
 */
export function ingestForwarder(ingestUrl: string): RequestHandler {
  const logger = new Logger('IngestForward');
  const target = new URL(ingestUrl);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return (request: Request, response: Response, next: NextFunction): void => {
    // Mounted at the prefix, `request.url` is the rest of the path with its query.
    const path = request.url;
    if (!/^\/api\/v1\/reports(\/|\?|$)/.test(path)) return next();
    const withBody = hasBody(request);
    let answered = false;
    let bodySent = false;
    // Ingest not saying 100 Continue in time (a server that ignores Expect) has the body sent anyway.
    const waiting = withBody ? setTimeout(() => sendBody(), CONTINUE_WAIT_MS) : undefined;
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
          ...(withBody ? { expect: '100-continue' } : {}),
        },
      },
      (answer) => {
        answered = true;
        clearTimeout(waiting);
        // Answered before the whole body was passed on: a refusal, after which ingest may close its connection
        // rather than read the rest. The rest is read from the client and dropped, not passed on.
        if (!forwarded.writableEnded) {
          request.unpipe(forwarded);
          request.resume();
          // The request to ingest can never be completed: its connection is not reused.
          answer.once('end', () => forwarded.destroy());
        }
        response.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(passOn(answer.headers))) {
          if (value !== undefined) response.setHeader(name, value);
        }
        answer.once('close', () => {
          if (!answer.complete) response.destroy();
        });
        answer.pipe(response);
      },
    );
    forwarded.on('error', (error) => {
      clearTimeout(waiting);
      // After ingest answered, a failure to pass on the rest of the body changes nothing: its answer goes out.
      if (answered) return;
      logger.warn(`ingest unreachable for a forwarded submission: ${error.message}`);
      if (response.headersSent) return void response.destroy();
      response.status(503).json({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        message: 'Report intake is not reachable; try again shortly',
      });
    });
    if (!withBody) return void forwarded.end();
    const sendBody = (): void => {
      clearTimeout(waiting);
      if (bodySent || answered) return;
      bodySent = true;
      request.pipe(forwarded);
    };
    forwarded.once('continue', sendBody);
    forwarded.flushHeaders();
  };
}
