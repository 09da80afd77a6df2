import { ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
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

/** Left in a list for an object item whose fields have problems, each reported at `list[index].field`. */
export class RejectedItem {
  constructor(readonly fields: Record<string, RejectedValue>) {}
}

const isRejected = (item: unknown): boolean => item instanceof RejectedValue || item instanceof RejectedItem;

const rawValue = (value: unknown): unknown => (value instanceof RejectedValue ? value.raw : value);

const EACH_ITEM_ACCEPTED = 'eachItemAccepted';

/** Runs `read` over each item of a list, leaving `RejectedValue`s or `RejectedItem`s for `EachItemAccepted`. */
export const ReadEach = (read: (item: unknown) => unknown): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(read) : value));

/**
 * Fails a list in which a transform left `RejectedValue`s or `RejectedItem`s; each problem is then reported on its
 * own, at its index (`constituency.cidrs[2]`, `indicators[3].value`), with the transform's reason.
 */
export const EachItemAccepted = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: EACH_ITEM_ACCEPTED,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || !value.some(isRejected),
        defaultMessage: () => 'some items are not accepted',
      },
    },
    options,
  );

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
    const own = Object.entries(error.constraints ?? {}).flatMap(([constraint, reason]) =>
      constraint === EACH_ITEM_ACCEPTED && Array.isArray(error.value)
        ? rejectedItems(error.value, path)
        : [problemAt(path, error.value, reason)],
    );
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

const problemAt = (path: string, value: unknown, reason: string): ProblemDetail => {
  const raw = rawValue(value);
  return { path, value: typeof raw === 'object' ? undefined : shown(raw), reason };
};

const rejectedItems = (items: unknown[], path: string): ProblemDetail[] =>
  items.flatMap((item, index) => {
    if (item instanceof RejectedValue) return [problemAt(`${path}[${index}]`, item.raw, item.reason)];
    if (item instanceof RejectedItem) {
      return Object.entries(item.fields).map(([field, rejected]) =>
        problemAt(`${path}[${index}].${field}`, rejected.raw, rejected.reason),
      );
    }
    return [];
  });

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
