export * from './address-ranges';
export * from './pinned-lookup';
export * from './webhook-secret';
export * from './webhook-test-event';
export * from './webhook-url.policy';
export * from './webhooks.module';
