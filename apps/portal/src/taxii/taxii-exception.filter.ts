import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ERROR_STATUS, ErrorCode, VigiaException, errorCodeForStatus } from '@vigia/common';
import type { Request, Response } from 'express';
import { TaxiiErrorDto } from './dto/taxii-resources.dto';
import { TAXII_MEDIA_TYPE } from './taxii-media';

/** What a client must do to authenticate: an API key by HTTP Basic (password) or as a Bearer token. */
export const TAXII_CHALLENGE = 'Basic realm="Vigia TAXII", charset="UTF-8", Bearer realm="Vigia TAXII"';

const TITLES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Bad request',
  [HttpStatus.UNAUTHORIZED]: 'Authentication required',
  [HttpStatus.FORBIDDEN]: 'Not allowed',
  [HttpStatus.NOT_FOUND]: 'Not found',
  [HttpStatus.NOT_ACCEPTABLE]: 'Not acceptable',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Request too large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'Unsupported media type',
};

/**
 * Every error of the TAXII routes as a TAXII 2.1 error message (`title`, `description`, `error_code`, `http_status`),
 * in TAXII's media type; 401 with `WWW-Authenticate` (a TAXII client is never redirected to a sign-in page).
 */
@Catch()
export class TaxiiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TaxiiErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const { status, code, description, details, headers } = this.describe(exception);
    if (status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'unhandled TAXII error');
    const body: TaxiiErrorDto = {
      title: TITLES[status] ?? (status >= 500 ? 'Internal error' : 'Request refused'),
      description,
      ...(request.id !== undefined ? { error_id: String(request.id) } : {}),
      error_code: code,
      http_status: String(status),
      ...(details ? { details: { problems: details } } : {}),
    };
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    if (status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', TAXII_CHALLENGE);
    response.status(status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
    response.end(JSON.stringify(body));
  }

  private describe(exception: unknown): {
    status: number;
    code: string;
    description: string;
    details?: unknown[];
    headers?: Record<string, string>;
  } {
    if (exception instanceof VigiaException) {
      return {
        status: ERROR_STATUS[exception.code],
        code: exception.code,
        description: exception.message,
        details: exception.details,
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
      return {
        status,
        code: errorCodeForStatus(status),
        description: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
      };
    }
    return { status: ERROR_STATUS[ErrorCode.Internal], code: ErrorCode.Internal, description: 'Internal server error' };
  }
}
