export * from './indicator-type';
export * from './tlp';
export * from './severity';
export * from './rsit';
export { refang } from './refang';
export type { IndicatorRejection, NormalisedIndicator, NormaliseResult } from './result';
export { normaliseIndicator, URL_SCHEMES } from './normalise-indicator';
export * from './misp';
