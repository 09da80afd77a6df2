export * from './audit-action';
export * from './audit-log.service';
export * from './audit.module';
export * from './request-origin';
