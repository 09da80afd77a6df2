/**
 * The indicator types a report may carry. `ipv4`/`ipv6` values are either a single address or a
 * CIDR block (`198.51.100.0/24`); `canonicaliseIndicator` tells which through `CanonicalIndicator.isCidr`.
 */
export enum IndicatorType {
  Ipv4 = 'ipv4',
  Ipv6 = 'ipv6',
  Domain = 'domain',
  Url = 'url',
  Email = 'email',
  Md5 = 'md5',
  Sha1 = 'sha1',
  Sha256 = 'sha256',
  Sha512 = 'sha512',
  Cve = 'cve',
  Asn = 'asn',
}

export const INDICATOR_TYPES: readonly IndicatorType[] = Object.values(IndicatorType);

export const HASH_INDICATOR_TYPES: readonly IndicatorType[] = [
  IndicatorType.Md5,
  IndicatorType.Sha1,
  IndicatorType.Sha256,
  IndicatorType.Sha512,
];
