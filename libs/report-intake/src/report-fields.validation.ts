import { flattenValidationErrors, validationException } from '@vigia/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ReportFieldsDto } from './report-fields.dto';

/**
 * Validates report fields assembled from a document plus query/form overrides with the same rules as the
 * JSON endpoint, so every format accepts and refuses exactly the same report fields.
 */
export async function validateReportFields(plain: Record<string, unknown>): Promise<ReportFieldsDto> {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
  const fields = plainToInstance(ReportFieldsDto, defined);
  const errors = await validate(fields, { whitelist: true });
  if (errors.length > 0) throw validationException(flattenValidationErrors(errors));
  return fields;
}
