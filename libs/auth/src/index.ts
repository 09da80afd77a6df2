export * from './api-key-secret';
export * from './api-key.guard';
export * from './api-key.strategy';
export * from './auth.module';
export * from './current-organisation.decorator';
export * from './organisation-principal';
export * from './password';
