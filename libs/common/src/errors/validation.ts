import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { ErrorCode } from './error-code';
import { findUnsafeInput } from './text-safety';
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

/**
 * Validation options for a property whose value is never shown back in a problem (an armored key, which may even be
 * a private key sent by mistake): `@IsUsablePgpKey(UNECHOED)`, `@MinLength(12, UNECHOED)`.
 */
export const UNECHOED: ValidationOptions = { context: { unechoed: true } };

const isUnechoed = (error: ValidationError): boolean =>
  Object.values(error.contexts ?? {}).some((context) => (context as { unechoed?: boolean } | undefined)?.unechoed);

/** Flattens class-validator's tree into one problem per failed constraint, with a dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ProblemDetail[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const value = isUnechoed(error) ? undefined : error.value;
    const own = Object.entries(error.constraints ?? {}).flatMap(([constraint, reason]) =>
      constraint === EACH_ITEM_ACCEPTED && Array.isArray(value)
        ? rejectedItems(value, path)
        : [problemAt(path, value, reason)],
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

/** Problems listed in one answer at most; the message still counts them all (a hostile body, a small answer). */
export const MAX_LISTED_PROBLEMS = 100;

/** The first `MAX_LISTED_PROBLEMS` of a list of problems: what an answer lists, beside the count of them all. */
export const firstListed = <T>(items: readonly T[]): T[] => items.slice(0, MAX_LISTED_PROBLEMS);

export function validationException(details: ProblemDetail[]): VigiaException {
  const noun = details.length === 1 ? 'problem' : 'problems';
  const listed = firstListed(details);
  const more = details.length - listed.length;
  const message =
    more > 0
      ? `The request has ${details.length} ${noun}; the first ${listed.length} are listed`
      : `The request has ${details.length} ${noun}`;
  return new VigiaException(ErrorCode.ValidationFailed, message, listed);
}

const PRIMITIVE_TYPES: readonly unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Nest's validation pipe, after a first look at bodies and queries bound to a DTO: NUL characters, lone surrogates and
 * deep nesting are refused with their paths before class-transformer or PostgreSQL meets them (a 500 otherwise).
 * Bodies taken as they come (`@Body() bundle: unknown`) are their handler's business.
 */
class VigiaValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const boundToDto =
      (metadata.type === 'body' || metadata.type === 'query') &&
      typeof metadata.metatype === 'function' &&
      !PRIMITIVE_TYPES.includes(metadata.metatype);
    if (boundToDto) {
      const unsafe = findUnsafeInput(value);
      if (unsafe.length > 0) throw validationException(unsafe);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe every app uses: DTOs transformed, unknown properties stripped, every problem reported. */
export const createValidationPipe = (): ValidationPipe =>
  new VigiaValidationPipe({
    transform: true,
    whitelist: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationException(flattenValidationErrors(errors)),
  });
