export * from './job-handler.decorator';
export { JobOutbox, outboxJob } from './job-outbox.service';
export * from './outbox-relay.service';
export * from './job-queue.service';
export * from './jobs';
export * from './queue.module';
export * from './queue-keys';
