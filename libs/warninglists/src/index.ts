export * from './ip-ranges';
export * from './load-warninglists';
export * from './warninglist';
export * from './warninglist-matcher';
