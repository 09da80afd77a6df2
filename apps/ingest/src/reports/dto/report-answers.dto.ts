import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ReportSourceFormat, ReportStatus } from '@vigia/database';

export class ReportAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '/api/v1/reports/7d0a1c52-1a8e-4a5e-9a57-2f3b3f7b8c11' })
  status_url: string;
}

/** The answer to a MISP document holding a list of events (search results or an array): one report per event. */
export class ReportsAcceptedDto {
  @ApiProperty({ type: [ReportAcceptedDto], description: 'One report per event, in the order of the document' })
  reports: ReportAcceptedDto[];
}

export class SkippedItemDto {
  @ApiProperty({ example: 'Attribute[12]' })
  path: string;

  @ApiPropertyOptional()
  value?: string;

  @ApiProperty({ example: 'unsupported MISP type "mutex"' })
  reason: string;
}

export class ReportStatusDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ReportStatus })
  status: ReportStatus;

  @ApiProperty({ description: 'True once the normalisation job is in the queue' })
  queued: boolean;

  @ApiPropertyOptional({ description: 'Why normalisation failed' })
  failure_reason?: string;

  @ApiProperty({ enum: ReportSourceFormat })
  format: ReportSourceFormat;

  @ApiProperty()
  title: string;

  @ApiProperty()
  tlp: string;

  @ApiProperty({ example: { indicators: 100, skipped: 2 } })
  counts: { indicators: number; skipped: number };

  @ApiProperty({ type: [SkippedItemDto] })
  skipped: SkippedItemDto[];

  @ApiProperty()
  received_at: string;

  @ApiPropertyOptional()
  normalised_at?: string;
}
