import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** Reading and exporting the audit log. */
@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
