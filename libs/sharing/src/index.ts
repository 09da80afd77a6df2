export * from './sharing';
export * from './visible-figures';
