import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TLP_LEVELS, TlpLevel } from '@vigia/indicators';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

export const MAX_LOOKUP_VALUES = 10_000;
const lower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** The scope the member shares its sighting or feedback under (its own TLP choice), as for reports. */
class SharedStatementDto {
  @ApiProperty({ enum: TLP_LEVELS, example: 'green', description: 'TLP 2.0 level of this statement' })
  @Transform(lower)
  @IsIn(TLP_LEVELS, { message: `tlp must be one of: ${TLP_LEVELS.join(', ')}` })
  tlp: TlpLevel;

  @ApiPropertyOptional({
    type: [String],
    description: 'Member organisations it is shared with (none: the whole network); required for red',
  })
  @ValidateIf((dto: SharedStatementDto) => dto.tlp === TlpLevel.Red || dto.tlp_recipients !== undefined)
  @IsArray()
  @ArrayMinSize(1, { message: 'tlp_recipients must list at least one organisation for TLP:RED' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'tlp_recipients must be organisation ids' })
  tlp_recipients?: string[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export const SIGHTING_PLACES = ['constituency', 'elsewhere'] as const;

export class SightingInputDto extends SharedStatementDto {
  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'How many times it was seen' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999_999_999)
  count?: number;

  @ApiPropertyOptional({ example: '2026-11-30T08:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'first_seen must be an ISO 8601 date' })
  first_seen?: string;

  @ApiPropertyOptional({ example: '2026-11-30T09:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'last_seen must be an ISO 8601 date' })
  last_seen?: string;

  @ApiProperty({ enum: SIGHTING_PLACES, description: 'In the member’s own constituency, or elsewhere' })
  @IsIn(SIGHTING_PLACES, { message: `where must be one of: ${SIGHTING_PLACES.join(', ')}` })
  where: (typeof SIGHTING_PLACES)[number];
}

export const FEEDBACK_VERDICTS = ['false-positive', 'confirmed'] as const;

export class FeedbackInputDto extends SharedStatementDto {
  @ApiProperty({ enum: FEEDBACK_VERDICTS })
  @IsIn(FEEDBACK_VERDICTS, { message: `verdict must be one of: ${FEEDBACK_VERDICTS.join(', ')}` })
  verdict: (typeof FEEDBACK_VERDICTS)[number];
}

export class LookupInputDto {
  @ApiProperty({
    type: [String],
    maxItems: MAX_LOOKUP_VALUES,
    example: ['hxxp://evil[.]com/login', '198.51.100.7:443', 'EVIL.com'],
    description: 'Raw values as found in logs: defanged, any case, with ports or paths',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LOOKUP_VALUES, { message: `values may hold at most ${MAX_LOOKUP_VALUES} values` })
  @IsString({ each: true })
  @MaxLength(8192, { each: true })
  values: string[];
}
