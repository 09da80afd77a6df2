export * from './feedback-event';
export * from './warning-envelope';
export * from './warning-stream-keys';
export * from './warning-stream.publisher';
export * from './warning-stream.reader';
export * from './warning-stream.module';
