import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { MispEventFormat } from './formats/misp-event.format';
import { StixBundleFormat } from './formats/stix-bundle.format';
import { ReportIntakeService } from './intake/report-intake.service';
import { ReportSubmissionService } from './report-submission.service';
import { ReportsController } from './reports.controller';

@Module({
  imports: [AuthModule],
  controllers: [ReportsController],
  providers: [ReportIntakeService, ReportSubmissionService, MispEventFormat, StixBundleFormat],
})
export class ReportsModule {}
