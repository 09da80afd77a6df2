export * from './data-source-options';
export * from './repositories';
export * from './database.module';
export * from './entities';
export * from './migrations';
export * from './secret-sealer';
export * from './database-reader';
