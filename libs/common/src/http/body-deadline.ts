import type { NextFunction, Request, Response } from 'express';
import { ERROR_STATUS, ErrorCode } from '../errors/error-code';
import { ErrorBody } from '../errors/vigia.exception';

/** Time the 408 answer gets to reach the client before the connection is cut. */
const FLUSH_MS = 200;

const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * A deadline for the whole body to arrive: a client sending a byte now and then would otherwise keep a request (and
 * whatever it holds) open as long as it likes. Late bodies are answered 408 and their connection is closed, which also
 * fails whoever was still reading the body, so nothing waits on it.
 */
export function bodyDeadline(timeoutMs: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.complete || !hasBody(request)) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (request.complete) return;
      const cut = () => setTimeout(() => request.destroy(), FLUSH_MS).unref();
      if (response.headersSent) {
        cut();
        return;
      }
      const status = ERROR_STATUS[ErrorCode.RequestTimeout];
      const body: ErrorBody = {
        statusCode: status,
        error: ErrorCode.RequestTimeout,
        message: `The request body did not arrive within ${timeoutMs / 1000} s`,
      };
      response.setHeader('Connection', 'close');
      response.status(status).json(body);
      response.once('finish', cut);
    }, timeoutMs);
    timer.unref();
    const stop = () => clearTimeout(timer);
    request.once('end', stop);
    request.once('close', stop);
    response.once('close', stop);
    next();
  };
}
