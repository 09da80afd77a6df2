import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INDICATOR_TYPES } from '@vigia/indicators';
import { MAX_INDICATOR_NOTE_LENGTH } from './indicator-input.reader';

/** One item of a JSON report's `indicators`, as OpenAPI shows it; `readIndicatorInput` checks and canonicalises it. */
export class IndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES, example: 'domain' })
  type: string;

  @ApiProperty({
    example: 'login-dgi[.]example',
    maxLength: 8192,
    description: 'Defanged values are refanged; domains lower-cased and punycoded; IPv6 canonicalised; CIDR allowed',
  })
  value: string;

  @ApiPropertyOptional({ format: 'date-time' })
  first_seen?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Not before first_seen' })
  last_seen?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 80 })
  confidence?: number;

  @ApiPropertyOptional({ maxLength: MAX_INDICATOR_NOTE_LENGTH })
  note?: string;
}
