import { ValidateBy } from 'class-validator';

/** A contact whose address (any case) an earlier contact of the same list already has. */
export interface RepeatedAddress {
  index: number;
  first: number;
}

/** Each 24/7 contact of a directory entry, or of an application, needs an address of its own. */
export function repeatedAddresses(contacts: readonly unknown[]): RepeatedAddress[] {
  const seen = new Map<string, number>();
  const repeated: RepeatedAddress[] = [];
  contacts.forEach((contact, index) => {
    const email = (contact as { email?: unknown } | null)?.email;
    if (typeof email !== 'string') return;
    const address = email.toLowerCase();
    const first = seen.get(address);
    if (first === undefined) seen.set(address, index);
    else repeated.push({ index, first });
  });
  return repeated;
}

export const repeatedAddressReason = ({ first }: RepeatedAddress): string =>
  `the address is already contacts[${first}]'s: each contact needs its own`;

/** `repeatedAddresses` as a DTO rule, for forms whose every problem is listed at once (an application's). */
export const EachContactOwnAddress = (): PropertyDecorator =>
  ValidateBy({
    name: 'eachContactOwnAddress',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || repeatedAddresses(value).length === 0,
      defaultMessage: (args) => {
        const [repeated] = Array.isArray(args?.value) ? repeatedAddresses(args.value) : [];
        return repeated
          ? `contacts[${repeated.index}].email: ${repeatedAddressReason(repeated)}`
          : 'each contact needs an address of its own';
      },
    },
  });
