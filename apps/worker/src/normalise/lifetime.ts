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

/**
 * `valid_until` of a value last seen at `lastSeen`: a full lifetime of its kind after then (never counted from later
 * than `now`, so a backfilled report of old activity does not make it active again), or undefined when it never
 * expires.
 */
export function validUntilFor(
  type: IndicatorType,
  lastSeen: StixTimestamp,
  now: StixTimestamp,
  lifetimes: Lifetimes,
): StixTimestamp | undefined {
  const days = lifetimes[LIFETIME_KIND[type]];
  if (days <= 0) return undefined;
  const start = Date.parse(lastSeen < now ? lastSeen : now);
  return new Date(start + days * DAY_MS).toISOString();
}

/** A new report renews an indicator: valid until the later of its current end and the end this report gives. */
export function renewedValidUntil(
  current: StixTimestamp | null,
  fresh: StixTimestamp | undefined,
): StixTimestamp | undefined {
  if (fresh === undefined) return undefined;
  return current !== null && current > fresh ? current : fresh;
}
