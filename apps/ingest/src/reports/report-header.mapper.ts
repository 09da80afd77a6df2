import { IndicatorType } from '@vigia/indicators';
import { ReportSourceFormat } from '@vigia/database';
import { IndicatorDto } from './dto/indicator.dto';
import { ReportFieldsDto } from './dto/report-fields.dto';
import { IndicatorRow, ReportHeader } from './intake/report-draft';

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

/** A validated indicator DTO (value already normalised by its transform) as a row to store. */
export function rowFromIndicatorDto(indicator: IndicatorDto): IndicatorRow {
  return {
    type: indicator.type,
    value: indicator.value,
    isCidr:
      indicator.value.includes('/') && (indicator.type === IndicatorType.Ipv4 || indicator.type === IndicatorType.Ipv6),
    firstSeen: dateOrNull(indicator.first_seen),
    lastSeen: dateOrNull(indicator.last_seen),
    confidence: indicator.confidence ?? null,
    note: indicator.note ?? null,
  };
}
