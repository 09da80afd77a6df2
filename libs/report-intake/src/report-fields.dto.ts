import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO31661Alpha2,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ArrayMinSize,
} from 'class-validator';
import { RSIT_CLASSIFICATIONS, SEVERITIES, TLP_LEVELS, TlpLevel, isValidRsit, parseTlp } from '@vigia/indicators';

/** Accepts `a,b` or repeated query parameters (`?countries=UY&countries=AR`) as a list. */
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

const toTlp = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? (parseTlp(value) ?? value) : value;

const IsRsitTypeOfClassification = (): PropertyDecorator =>
  ValidateBy({
    name: 'isRsitTypeOfClassification',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' && isValidRsit(String((args?.object as ReportFieldsDto).classification), value),
      defaultMessage: (args) =>
        `type must be an RSIT type of classification "${String((args?.object as ReportFieldsDto).classification)}"`,
    },
  });

/** The report-level fields of every submission format (JSON body; query or form fields for the others). */
export class ReportFieldsDto {
  @ApiProperty({ example: 'Phishing campaign impersonating the national tax agency', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title: string;

  @ApiPropertyOptional({ maxLength: 100_000 })
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  description?: string;

  @ApiProperty({ enum: RSIT_CLASSIFICATIONS, example: 'fraud', description: 'RSIT classification' })
  @IsIn(RSIT_CLASSIFICATIONS)
  classification: string;

  @ApiPropertyOptional({ example: 'phishing', description: 'RSIT type, one of the classification’s types' })
  @IsOptional()
  @IsRsitTypeOfClassification()
  type?: string;

  @ApiProperty({ enum: SEVERITIES, example: 'high' })
  @IsIn(SEVERITIES)
  severity: string;

  @ApiProperty({ enum: TLP_LEVELS, example: 'amber', description: 'TLP 2.0; `TLP:AMBER` and TLP 1.0 `white` read too' })
  @Transform(toTlp)
  @IsIn(TLP_LEVELS, { message: `tlp must be one of: ${TLP_LEVELS.join(', ')}` })
  tlp: TlpLevel;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Required for TLP:RED: who may see it' })
  @Transform(toList)
  @ValidateIf((dto: ReportFieldsDto) => dto.tlp === TlpLevel.Red || dto.tlp_recipients !== undefined)
  @IsArray()
  @ArrayMinSize(1, { message: 'tlp_recipients must list at least one organisation for TLP:RED' })
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  tlp_recipients?: string[];

  @ApiPropertyOptional({ example: '2026-11-20T08:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  first_seen?: string;

  @ApiPropertyOptional({ example: '2026-11-22T18:30:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  last_seen?: string;

  @ApiPropertyOptional({ type: [String], example: ['finance', 'government'] })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { each: true, message: 'each sector must be a lower-case slug' })
  sectors?: string[];

  @ApiPropertyOptional({ type: [String], example: ['UY', 'AR'], description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(250)
  @IsISO31661Alpha2({ each: true })
  countries?: string[];
}

/** For STIX bundles and MISP events: the document supplies what it can, these fill in or override the rest. */
export class ReportOverridesDto extends PartialType(ReportFieldsDto) {}
