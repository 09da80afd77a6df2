import { Injectable } from '@nestjs/common';
import { OrganisationPrincipal } from '@vigia/auth';
import { instantCursorPage, instantCursorStart } from '@vigia/common';
import { ReportRepository } from '@vigia/database';
import { DEFAULT_REPORT_PAGE_SIZE, ListReportsQueryDto, ReportListPageDto } from './dto/report-list.dto';
import { toReportListItemDto } from './report-status.mapper';

/** The caller's organisation's own reports, newest first: never another organisation's. */
@Injectable()
export class ReportListService {
  constructor(private readonly reports: ReportRepository) {}

  async list(principal: OrganisationPrincipal, query: ListReportsQueryDto): Promise<ReportListPageDto> {
    const limit = query.limit ?? DEFAULT_REPORT_PAGE_SIZE;
    const before = instantCursorStart(query.cursor);
    const rows = await this.reports.listOwned({
      organisationId: principal.organisationId,
      status: query.status,
      before: before && { receivedAt: before.instant, id: before.id },
      limit: limit + 1,
    });
    return instantCursorPage(rows, limit, toReportListItemDto, (row) => row.receivedAtExact);
  }
}
