import { Injectable } from '@nestjs/common';
import { OrganisationPrincipal } from '@vigia/auth';
import { ReportSourceFormat } from '@vigia/database';
import { ReportAcceptedDto, ReportStatusDto } from './dto/report-answers.dto';
import { CreateReportDto } from './dto/create-report.dto';
import { ReportIntakeService } from './intake/report-intake.service';
import { headerFromFields, rowFromIndicatorDto } from './report-header.mapper';
import { toReportAcceptedDto, toReportStatusDto } from './report-status.mapper';

/** What the reports controller calls: one method per submission format, plus status. */
@Injectable()
export class ReportSubmissionService {
  constructor(private readonly intake: ReportIntakeService) {}

  async submitJson(
    principal: OrganisationPrincipal,
    dto: CreateReportDto,
    raw: { body: Buffer; contentType: string },
    idempotencyKey?: string,
  ): Promise<{ answer: ReportAcceptedDto; replayed: boolean }> {
    const accepted = await this.intake.submit(principal, {
      header: headerFromFields(ReportSourceFormat.Json, dto),
      contentType: raw.contentType,
      idempotencyKey,
      fill: async (sink) => {
        await sink.appendPayload(raw.body);
        await sink.appendIndicators(dto.indicators.map(rowFromIndicatorDto));
      },
    });
    return { answer: toReportAcceptedDto(accepted), replayed: accepted.replayed };
  }

  async status(principal: OrganisationPrincipal, id: string): Promise<ReportStatusDto> {
    return toReportStatusDto(await this.intake.status(principal.organisationId, id));
  }
}
