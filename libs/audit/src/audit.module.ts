import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service';

/** The audit log for features that record events (`AuditLog`); the repository comes from the global DatabaseModule. */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditLogModule {}
