export * from './indicator-type';
export * from './tlp';
