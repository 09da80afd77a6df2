import { ErrorCode } from './error-code';

/** One problem with one part of the input: where it is, what was there, why it is refused. */
export interface ProblemDetail {
  path: string;
  value?: unknown;
  reason: string;
}

/** The domain exception: services throw this; the global filter turns the code into an HTTP status. */
export class VigiaException extends Error {
  override readonly name = 'VigiaException';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ProblemDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
  details?: ProblemDetail[];
  requestId?: string;
}
