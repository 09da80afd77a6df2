export * from './job-handler.decorator';
export * from './job-queue.service';
export * from './jobs';
export * from './queue.module';
