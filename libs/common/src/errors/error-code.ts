import { HttpStatus } from '@nestjs/common';

/** Every error a Vigia API can answer with, and the one HTTP status each maps to. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  /** None of the media types the client accepts can be answered. */
  NotAcceptable = 'NOT_ACCEPTABLE',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** The request body did not arrive in time (`HTTP_BODY_TIMEOUT_SECONDS`). */
  RequestTimeout = 'REQUEST_TIMEOUT',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  /** An account refused for a while (too many wrong passwords); `Retry-After` says how long. */
  Locked = 'LOCKED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.NotAcceptable]: HttpStatus.NOT_ACCEPTABLE,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.RequestTimeout]: HttpStatus.REQUEST_TIMEOUT,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Locked]: HttpStatus.LOCKED,
  [ErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The code for an HTTP status raised outside our code (Nest, body parser, throttler...). */
export function errorCodeForStatus(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as [ErrorCode, HttpStatus][]).find(([, mapped]) => mapped === status);
  if (found) return found[0];
  return status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed;
}
