import { Module } from '@nestjs/common';
import { AuditLogModule } from '@vigia/audit';
import { AuthModule } from '@vigia/auth';
import { ReportExportsService } from './report-exports.service';
import { ReportsController } from './reports.controller';

/** Reading reports shared with the caller: STIX and MISP exports, the MISP feed. */
@Module({
  imports: [AuthModule, AuditLogModule],
  controllers: [ReportsController],
  providers: [ReportExportsService],
})
export class ReportsModule {}
