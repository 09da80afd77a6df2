import { ReportSourceFormat } from '@vigia/database';
import { ReportFieldsDto } from './report-fields.dto';
import { ReportHeader } from './report-draft';

const dateOrNull = (value: string | undefined): Date | null => (value ? new Date(value) : null);

export function headerFromFields(format: ReportSourceFormat, fields: ReportFieldsDto): ReportHeader {
  return {
    format,
    title: fields.title,
    description: fields.description ?? '',
    classification: fields.classification,
    type: fields.type ?? null,
    severity: fields.severity,
    tlp: fields.tlp,
    tlpRecipients: fields.tlp_recipients ?? [],
    firstSeen: dateOrNull(fields.first_seen),
    lastSeen: dateOrNull(fields.last_seen),
    sectors: fields.sectors ?? [],
    countries: (fields.countries ?? []).map((country) => country.toUpperCase()),
  };
}

/** RSIT's catch-all pair when a document names no classification. */
export const defaultType = (classification: string): string | undefined =>
  classification === 'other' ? 'undetermined' : undefined;
