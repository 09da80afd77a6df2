import { firstListed } from '@vigia/common';
import { IncidentReportEntity, OwnReportRow } from '@vigia/database';
import { ReportListItemDto } from './dto/report-list.dto';
import { ReportAcceptedDto, ReportStatusDto } from './dto/report-answers.dto';
import { ReportAccepted, statusUrlOf } from '@vigia/report-intake';

export function toReportStatusDto(report: IncidentReportEntity): ReportStatusDto {
  return {
    id: report.id,
    status: report.status,
    queued: report.enqueuedAt !== null,
    failure_reason: report.failureReason ?? undefined,
    format: report.sourceFormat,
    title: report.title,
    tlp: report.tlp,
    counts: { indicators: report.indicatorCount, skipped: report.skippedCount },
    // Reports stored before the list was capped may hold more: the answer lists as few.
    skipped: firstListed(report.skipped),
    received_at: report.receivedAt.toISOString(),
    normalised_at: report.normalisedAt?.toISOString(),
  };
}

export const toReportAcceptedDto = (accepted: ReportAccepted): ReportAcceptedDto => ({
  id: accepted.id,
  status_url: accepted.statusUrl,
});

export const toReportListItemDto = (row: OwnReportRow): ReportListItemDto => ({
  id: row.id,
  title: row.title,
  status: row.status,
  format: row.format,
  tlp: row.tlp,
  severity: row.severity,
  counts: { accepted: row.indicatorCount, skipped: row.skippedCount },
  received_at: row.receivedAt.toISOString(),
  normalised_at: row.normalisedAt?.toISOString() ?? null,
  status_url: statusUrlOf(row.id),
});
