import { Module } from '@nestjs/common';
import { ReportIntakeService } from './report-intake.service';
import { StixBundleFormat } from './stix-bundle.format';

/**
 * The one way a submission becomes a stored report (ingest's formats and the portal's TAXII inbox alike): reading a
 * STIX document, checking the report fields and writing report, payload, indicators and normalisation job at once.
 */
@Module({
  providers: [ReportIntakeService, StixBundleFormat],
  exports: [ReportIntakeService, StixBundleFormat],
})
export class ReportIntakeModule {}
