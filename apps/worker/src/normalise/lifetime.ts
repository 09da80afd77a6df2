import { IndicatorLifetimeKind } from '@vigia/config';
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

const DAY_MS = 24 * 3600 * 1000;

/** `valid_until` of a value reported at `now`: a full lifetime later, or undefined when its kind never expires. */
export function validUntilFor(
  type: IndicatorType,
  now: StixTimestamp,
  lifetimes: Lifetimes,
): StixTimestamp | undefined {
  const days = lifetimes[LIFETIME_KIND[type]];
  return days > 0 ? new Date(Date.parse(now) + days * DAY_MS).toISOString() : undefined;
}

/** A new report renews an indicator: valid until the later of its current end and a fresh lifetime from now. */
export function renewedValidUntil(
  current: StixTimestamp | null,
  type: IndicatorType,
  now: StixTimestamp,
  lifetimes: Lifetimes,
): StixTimestamp | undefined {
  const fresh = validUntilFor(type, now, lifetimes);
  if (fresh === undefined) return undefined;
  return current !== null && current > fresh ? current : fresh;
}
