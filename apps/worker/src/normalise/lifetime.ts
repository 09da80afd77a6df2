import { INDICATOR_LIFETIME_KINDS, IndicatorLifetimeKind } from '@vigia/config';
import { IndicatorType } from '@vigia/indicators';
import { StixTimestamp } from '@vigia/stix';

/** Which lifetime (`INDICATOR_LIFETIME_DAYS`, defaults in libs/config) each indicator type follows. */
export const LIFETIME_KIND: Readonly<Record<IndicatorType, IndicatorLifetimeKind>> = {
  [IndicatorType.Ipv4]: 'ip',
  [IndicatorType.Ipv6]: 'ip',
  [IndicatorType.Domain]: 'domain',
  [IndicatorType.Url]: 'url',
  [IndicatorType.Email]: 'email',
  [IndicatorType.Md5]: 'hash',
  [IndicatorType.Sha1]: 'hash',
  [IndicatorType.Sha256]: 'hash',
  [IndicatorType.Sha512]: 'hash',
  [IndicatorType.Cve]: 'cve',
  [IndicatorType.Asn]: 'asn',
};

export type Lifetimes = Readonly<Record<IndicatorLifetimeKind, number>>;

/** When a value reported at one moment stops being valid, by kind; undefined means never. */
export type ValidityEnds = Readonly<Record<IndicatorLifetimeKind, StixTimestamp | undefined>>;

const DAY_MS = 24 * 3600 * 1000;

/** A full lifetime after `now` for every kind (computed once per report). */
export function validityEnds(now: StixTimestamp, lifetimes: Lifetimes): ValidityEnds {
  const start = Date.parse(now);
  const ends = {} as Record<IndicatorLifetimeKind, StixTimestamp | undefined>;
  for (const kind of INDICATOR_LIFETIME_KINDS) {
    ends[kind] = lifetimes[kind] > 0 ? new Date(start + lifetimes[kind] * DAY_MS).toISOString() : undefined;
  }
  return ends;
}

/** `valid_until` of a value reported now: a full lifetime of its kind later, or undefined when it never expires. */
export function validUntilFor(type: IndicatorType, ends: ValidityEnds): StixTimestamp | undefined {
  return ends[LIFETIME_KIND[type]];
}

/** A new report renews an indicator: valid until the later of its current end and a fresh lifetime from now. */
export function renewedValidUntil(
  current: StixTimestamp | null,
  type: IndicatorType,
  ends: ValidityEnds,
): StixTimestamp | undefined {
  const fresh = validUntilFor(type, ends);
  if (fresh === undefined) return undefined;
  return current !== null && current > fresh ? current : fresh;
}
