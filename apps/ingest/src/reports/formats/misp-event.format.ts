import { Injectable } from '@nestjs/common';
import { validationException } from '@vigia/common';
import { ReportSourceFormat } from '@vigia/database';
import { mapMispEvent } from '@vigia/indicators';
import { ReportOverridesDto } from '../dto/report-fields.dto';
import { Submission } from '../intake/report-intake.service';
import { headerFromFields } from '../report-header.mapper';
import { canonicaliseCandidates } from './indicator-candidate';
import { validateReportFields } from './report-fields.validation';

/** MISP event JSON (as MISP exports it) → a submission; unsupported or malformed attributes are skipped. */
@Injectable()
export class MispEventFormat {
  async toSubmission(
    body: unknown,
    overrides: ReportOverridesDto,
    raw: { body: Buffer; contentType: string },
  ): Promise<Omit<Submission, 'idempotencyKey'>> {
    const mapped = mapMispEvent(body);
    if ('errors' in mapped) {
      throw validationException(mapped.errors.map((error) => ({ path: error.path, reason: error.reason })));
    }
    const { report } = mapped;
    const classification = overrides.classification ?? report.rsit?.classification ?? 'other';
    const fields = await validateReportFields({
      title: report.title,
      description: report.description,
      classification,
      type: overrides.type ?? (overrides.classification ? undefined : report.rsit?.type) ?? defaultType(classification),
      severity: report.severity ?? 'medium',
      tlp: report.tlp,
      first_seen: report.firstSeen,
      last_seen: report.lastSeen,
      ...overrides,
    });
    return {
      header: headerFromFields(ReportSourceFormat.Misp, fields),
      contentType: raw.contentType,
      content: {
        payload: raw.body,
        ...canonicaliseCandidates(
          mapped.indicators.map((indicator) => ({ ...indicator, note: indicator.comment })),
          mapped.skipped.map((item) => ({ path: item.path, value: item.value, reason: item.reason })),
        ),
      },
    };
  }
}

/** RSIT's catch-all pair when a document names no classification. */
export const defaultType = (classification: string): string | undefined =>
  classification === 'other' ? 'undetermined' : undefined;
