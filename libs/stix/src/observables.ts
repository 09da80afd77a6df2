import { IndicatorType } from '@vigia/indicators';
import { assertNever, StixInputError } from './errors';
import { scoIdFor } from './identifiers';
import {
  HASH_ALGORITHM_BY_INDICATOR_TYPE,
  parseAsNumber,
  type HashIndicatorType,
  type PatternableIndicatorType,
} from './patterns';
import {
  STIX_SPEC_VERSION,
  type AutonomousSystem,
  type DomainName,
  type EmailAddress,
  type File,
  type Ipv4Address,
  type Ipv6Address,
  type StixCyberObservable,
  type StixHashAlgorithm,
  type StixId,
  type Url,
} from './types';

/** Options every SCO builder takes. SCO ids are always deterministic, so there is no id option. */
export interface ObservableOptions {
  markingRefs?: readonly StixId<'marking-definition'>[];
}

type ValueObservable = Ipv4Address | Ipv6Address | DomainName | Url | EmailAddress;

function buildValueObservable<TObservable extends ValueObservable>(
  type: TObservable['type'],
  value: string,
  options: ObservableOptions | undefined,
): TObservable {
  // TypeScript cannot check a generic object literal against the TObservable member; the fields are common to all.
  const observable = { type, spec_version: STIX_SPEC_VERSION, id: scoIdFor(type, { value }), value } as TObservable;
  applyMarkings(observable, options);
  return observable;
}

export function buildIpv4Address(value: string, options?: ObservableOptions): Ipv4Address {
  return buildValueObservable<Ipv4Address>('ipv4-addr', value, options);
}

export function buildIpv6Address(value: string, options?: ObservableOptions): Ipv6Address {
  return buildValueObservable<Ipv6Address>('ipv6-addr', value, options);
}

export function buildDomainName(value: string, options?: ObservableOptions): DomainName {
  return buildValueObservable<DomainName>('domain-name', value, options);
}

export function buildUrl(value: string, options?: ObservableOptions): Url {
  return buildValueObservable<Url>('url', value, options);
}

export function buildEmailAddress(value: string, options?: ObservableOptions): EmailAddress {
  return buildValueObservable<EmailAddress>('email-addr', value, options);
}

const HASH_HEX_LENGTH: Readonly<Record<StixHashAlgorithm, number>> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-512': 128,
};

/** A file known only by one hash. The hash must be hex of the algorithm's length, as the STIX hashes type requires. */
export function buildFileWithHash(algorithm: StixHashAlgorithm, hash: string, options?: ObservableOptions): File {
  if (hash.length !== HASH_HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/i.test(hash)) {
    throw new StixInputError(`not a ${algorithm} hash: ${hash}`);
  }
  const hashes = { [algorithm]: hash };
  const file: File = { type: 'file', spec_version: STIX_SPEC_VERSION, id: scoIdFor('file', { hashes }), hashes };
  applyMarkings(file, options);
  return file;
}

/** An autonomous system; `asNumber` is "64496" or "AS64496" (see parseAsNumber). */
export function buildAutonomousSystem(asNumber: string | number, options?: ObservableOptions): AutonomousSystem {
  const number = parseAsNumber(String(asNumber));
  const autonomousSystem: AutonomousSystem = {
    type: 'autonomous-system',
    spec_version: STIX_SPEC_VERSION,
    id: scoIdFor('autonomous-system', { number }),
    number,
  };
  applyMarkings(autonomousSystem, options);
  return autonomousSystem;
}

/** The SCO an indicator value describes. */
export function buildObservableFor(
  type: PatternableIndicatorType,
  value: string,
  options?: ObservableOptions,
): StixCyberObservable {
  switch (type) {
    case IndicatorType.Ipv4:
      return buildIpv4Address(value, options);
    case IndicatorType.Ipv6:
      return buildIpv6Address(value, options);
    case IndicatorType.Domain:
      return buildDomainName(value, options);
    case IndicatorType.Url:
      return buildUrl(value, options);
    case IndicatorType.Email:
      return buildEmailAddress(value, options);
    case IndicatorType.Md5:
    case IndicatorType.Sha1:
    case IndicatorType.Sha256:
    case IndicatorType.Sha512:
      return buildFileWithHash(HASH_ALGORITHM_BY_INDICATOR_TYPE[type satisfies HashIndicatorType], value, options);
    case IndicatorType.Asn:
      return buildAutonomousSystem(value, options);
    default:
      return assertNever(type);
  }
}

function applyMarkings(observable: StixCyberObservable, options: ObservableOptions | undefined): void {
  if (options?.markingRefs !== undefined && options.markingRefs.length > 0) {
    observable.object_marking_refs = [...options.markingRefs];
  }
}
