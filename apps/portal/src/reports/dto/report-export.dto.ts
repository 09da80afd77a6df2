import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export enum ReportExportFormat {
  Stix = 'stix',
  Misp = 'misp',
}

const FORMATS = Object.values(ReportExportFormat);

export class ReportExportQueryDto {
  @ApiProperty({ enum: FORMATS, description: 'stix: a STIX 2.1 bundle; misp: a MISP event {"Event": {...}}' })
  @IsIn(FORMATS, { message: `format must be one of: ${FORMATS.join(', ')}` })
  format: ReportExportFormat;
}

/** A MISP feed file: `manifest.json` or `<event uuid>.json`. */
export const MISP_FEED_FILE = /^(manifest|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;
