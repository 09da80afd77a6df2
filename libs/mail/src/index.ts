export * from './mail-template';
export * from './mailer.service';
export * from './mail.module';
