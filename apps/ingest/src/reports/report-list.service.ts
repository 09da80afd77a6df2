import { Injectable } from '@nestjs/common';
import { OrganisationPrincipal } from '@vigia/auth';
import { decodeInstantCursor, encodeInstantCursor } from '@vigia/common';
import { ReportRepository } from '@vigia/database';
import { DEFAULT_REPORT_PAGE_SIZE, ListReportsQueryDto, ReportListPageDto } from './dto/report-list.dto';
import { toReportListItemDto } from './report-status.mapper';

/** The caller's organisation's own reports, newest first: never another organisation's. */
@Injectable()
export class ReportListService {
  constructor(private readonly reports: ReportRepository) {}

  async list(principal: OrganisationPrincipal, query: ListReportsQueryDto): Promise<ReportListPageDto> {
    const limit = query.limit ?? DEFAULT_REPORT_PAGE_SIZE;
    const before = query.cursor === undefined ? undefined : decodeInstantCursor(query.cursor);
    const rows = await this.reports.listOwned({
      organisationId: principal.organisationId,
      status: query.status,
      before: before && { receivedAt: before.instant, id: before.id },
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toReportListItemDto),
      next_cursor:
        rows.length > limit && last ? encodeInstantCursor({ instant: last.receivedAtExact, id: last.id }) : null,
    };
  }
}
