import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { INDICATOR_TYPES } from '@vigia/indicators';
import { IsNormalisedIndicator, NormaliseIndicatorValue } from './indicator-value.validator';

export class IndicatorDto {
  @ApiProperty({ enum: INDICATOR_TYPES, example: 'domain' })
  @IsIn(INDICATOR_TYPES, { message: `type must be one of: ${INDICATOR_TYPES.join(', ')}` })
  type: string;

  @ApiProperty({
    example: 'login-dgi[.]example',
    description: 'Defanged values are refanged; domains lower-cased and punycoded; IPv6 canonicalised; CIDR allowed',
  })
  @NormaliseIndicatorValue()
  @IsNormalisedIndicator()
  @MaxLength(8192)
  value: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  first_seen?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  last_seen?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 80 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  confidence?: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
