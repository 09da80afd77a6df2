import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { RejectedValue } from '@vigia/common';
import { INDICATOR_TYPES, IndicatorType, normaliseIndicator } from '@vigia/indicators';

/**
 * Normalises `value` according to the sibling `type` while the DTO is built (refang, IDN, canonical IPv6...),
 * so each value is parsed once and every malformed one shows up in the same 400 as other problems.
 */
export const NormaliseIndicatorValue = (): PropertyDecorator =>
  Transform(({ value, obj }: { value: unknown; obj: { type?: unknown } }) => {
    if (typeof value !== 'string') return new RejectedValue(value, 'value must be a string');
    if (!INDICATOR_TYPES.includes(obj.type as IndicatorType)) return value; // `type` reports its own error
    const result = normaliseIndicator(obj.type as IndicatorType, value);
    return result.ok ? result.value : new RejectedValue(value, result.reason);
  });

/** Fails with the normaliser's reason when `NormaliseIndicatorValue` rejected the value. */
export const IsNormalisedIndicator = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isNormalisedIndicator',
      validator: {
        validate: (value: unknown) => typeof value === 'string',
        defaultMessage: (args) => (args?.value instanceof RejectedValue ? args.value.reason : 'invalid value'),
      },
    },
    options,
  );
