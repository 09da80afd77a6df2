import { UNECHOED } from '@vigia/common';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { MAX_ARMORED_KEY_LENGTH, PgpKeyError, readPublicKey } from './pgp-key';

/** Why a DTO's key was refused, for the validator's message (class-validator asks for it after the async check). */
const refusals = new WeakMap<object, Map<string, string>>();

/**
 * An ASCII-armored OpenPGP public key mail can be encrypted to now, refused with libs/pgp's reason (a private key,
 * expired, revoked, no encryption subkey, garbage). Empty text means "no key" and passes; combine with `IsOptional`
 * for null. The key is never shown back in the problem (it may be a private key sent by mistake).
 */
export const IsUsablePgpKey = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isUsablePgpKey',
      async: true,
      validator: {
        validate: async (value: unknown, args) => {
          if (typeof value !== 'string') return false;
          if (value.trim() === '') return true;
          try {
            await readPublicKey(value);
            return true;
          } catch (error) {
            if (!(error instanceof PgpKeyError)) throw error;
            if (args) {
              const reasons = refusals.get(args.object) ?? new Map<string, string>();
              reasons.set(args.property, error.reason);
              refusals.set(args.object, reasons);
            }
            return false;
          }
        },
        defaultMessage: (args) =>
          (args && refusals.get(args.object)?.get(args.property)) ??
          `an ASCII-armored OpenPGP public key of at most ${MAX_ARMORED_KEY_LENGTH} characters`,
      },
    },
    { ...UNECHOED, ...options },
  );
