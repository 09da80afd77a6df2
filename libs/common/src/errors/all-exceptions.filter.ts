import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { loggedPath } from '../logging/logging.module';
import { ERROR_STATUS, ErrorCode, errorCodeForStatus } from './error-code';
import { ErrorBody, VigiaException } from './vigia.exception';

/** Errors that Express's body parser raises before Nest sees the request (`type` says which). */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as BodyParserError).type === 'string' &&
  typeof ((error as BodyParserError).status ?? (error as BodyParserError).statusCode) === 'number';

/**
 * The one mapping from exceptions to answers: domain exceptions by their code, Nest's HTTP exceptions
 * by their status, body-parser errors by theirs; anything else is logged and becomes a 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const { status, body, headers } = this.toAnswer(exception);
    if (status >= 500) {
      // The path alone, as request lines log it: a query string may carry tokens or search terms.
      this.logger.error({ err: exception, path: loggedPath(request.url) }, 'unhandled error');
    }
    // Already answered (a body that missed its deadline got its 408): the error is only the reader giving up.
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    if (request.id !== undefined && typeof body === 'object' && body !== null && 'error' in body) {
      (body as ErrorBody).requestId = String(request.id);
    }
    response.status(status).json(body);
  }

  private toAnswer(exception: unknown): { status: number; body: unknown; headers?: Record<string, string> } {
    if (exception instanceof VigiaException) {
      const status = ERROR_STATUS[exception.code];
      const body: ErrorBody = { statusCode: status, error: exception.code, message: exception.message };
      if (exception.details) body.details = exception.details;
      return { status, body, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      // Structured bodies (e.g. terminus health results) pass through as their producer shaped them.
      if (typeof raw === 'object' && !('message' in raw)) return { status, body: raw };
      const message = typeof raw === 'string' ? raw : (raw as { message: unknown }).message;
      const body: ErrorBody = {
        statusCode: status,
        error: errorCodeForStatus(status),
        message: Array.isArray(message) ? message.join('; ') : String(message),
      };
      return { status, body };
    }
    if (isBodyParserError(exception)) {
      const status = exception.status ?? exception.statusCode ?? HttpStatus.BAD_REQUEST;
      const reason =
        exception.type === 'entity.parse.failed' ? `Malformed JSON: ${exception.message}` : exception.message;
      return { status, body: { statusCode: status, error: errorCodeForStatus(status), message: reason } };
    }
    const status = ERROR_STATUS[ErrorCode.Internal];
    return { status, body: { statusCode: status, error: ErrorCode.Internal, message: 'Internal server error' } };
  }
}
