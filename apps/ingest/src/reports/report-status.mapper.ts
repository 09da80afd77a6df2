import { firstListed } from '@vigia/common';
import { IncidentReportEntity } from '@vigia/database';
import { ReportAcceptedDto, ReportStatusDto } from './dto/report-answers.dto';
import { ReportAccepted } from '@vigia/report-intake';

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
