export * from './pgp-key';
export * from './pgp-key.validator';
