import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { ReportIntakeModule } from '@vigia/report-intake';
import { MispEventFormat } from './formats/misp-event.format';
import { ReportListService } from './report-list.service';
import { ReportSubmissionService } from './report-submission.service';
import { ReportsController } from './reports.controller';

@Module({
  imports: [AuthModule, ReportIntakeModule],
  controllers: [ReportsController],
  providers: [ReportSubmissionService, ReportListService, MispEventFormat],
})
export class ReportsModule {}
