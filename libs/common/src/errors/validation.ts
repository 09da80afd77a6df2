import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from './error-code';
import { ProblemDetail, VigiaException } from './vigia.exception';

const MAX_SHOWN_VALUE = 200;

/**
 * Left in a DTO by a transform that could not make sense of the input (e.g. a malformed indicator), so a
 * validator can fail with `reason` and the error still shows the value as it was sent.
 */
export class RejectedValue {
  constructor(
    readonly raw: unknown,
    readonly reason: string,
  ) {}
}

const rawValue = (value: unknown): unknown => (value instanceof RejectedValue ? value.raw : value);

const shown = (value: unknown): unknown =>
  typeof value === 'string' && value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}…` : value;

/** Flattens class-validator's tree into one problem per failed constraint, with a dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ProblemDetail[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      path,
      value: typeof rawValue(error.value) === 'object' ? undefined : shown(rawValue(error.value)),
      reason,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

export function validationException(details: ProblemDetail[]): VigiaException {
  const noun = details.length === 1 ? 'problem' : 'problems';
  return new VigiaException(ErrorCode.ValidationFailed, `The request has ${details.length} ${noun}`, details);
}

/** The global pipe every app uses: DTOs transformed, unknown properties stripped, every problem reported. */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    transform: true,
    whitelist: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationException(flattenValidationErrors(errors)),
  });
