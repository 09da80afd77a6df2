import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InstantCursorQuery, QueryInteger } from '@vigia/common';
import { ReportSourceFormat, ReportStatus } from '@vigia/database';
import { IsIn, IsOptional } from 'class-validator';

const STATUSES = Object.values(ReportStatus);
export const DEFAULT_REPORT_PAGE_SIZE = 20;

/** Which of the organisation's own reports: a status or all, a page at a time. */
export class ListReportsQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: ReportStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: DEFAULT_REPORT_PAGE_SIZE })
  @QueryInteger(1, 100)
  limit?: number;

  @InstantCursorQuery()
  cursor?: string;
}

export class ReportListCountsDto {
  @ApiProperty({ example: 100, description: 'Indicators accepted at the door' })
  accepted: number;

  @ApiProperty({ example: 2, description: 'Items skipped, each listed with its reason in the report’s status' })
  skipped: number;
}

export class ReportListItemDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: ReportStatus })
  status: ReportStatus;

  @ApiProperty({ enum: ReportSourceFormat })
  format: ReportSourceFormat;

  @ApiProperty({ example: 'amber' })
  tlp: string;

  @ApiProperty({ example: 'high' })
  severity: string;

  @ApiProperty({ type: ReportListCountsDto })
  counts: ReportListCountsDto;

  @ApiProperty({ format: 'date-time' })
  received_at: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  normalised_at: string | null;

  @ApiProperty({ example: '/api/v1/reports/7d0a1c52-1a8e-4a5e-9a57-2f3b3f7b8c11' })
  status_url: string;
}

export class ReportListPageDto {
  @ApiProperty({ type: [ReportListItemDto], description: 'Newest first' })
  items: ReportListItemDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
