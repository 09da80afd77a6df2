export * from './pgp-key';
