export * from './indicator-type';
export * from './tlp';
export * from './severity';
export * from './rsit';
export { refang } from './refang';
export type { CanonicalIndicator, CanonicaliseResult, IndicatorRejection } from './result';
export { canonicaliseIndicator, URL_SCHEMES } from './canonicalise-indicator';
export * from './misp';
