import { Module } from '@nestjs/common';
import { NormaliseReportHandler } from './normalise-report.handler';
import { ReportNormaliser } from './report-normaliser.service';
import { StixChecks } from './stix-checks.service';
import { warninglistMatcherProvider } from './warninglists.provider';

/** Job `normalise-report`: incident reports into STIX 2.1, deduplicated and correlated across organisations. */
@Module({
  providers: [NormaliseReportHandler, ReportNormaliser, StixChecks, warninglistMatcherProvider],
})
export class NormaliseModule {}
