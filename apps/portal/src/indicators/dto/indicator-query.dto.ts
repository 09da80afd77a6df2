import { ApiPropertyOptional } from '@nestjs/swagger';
import { INDICATOR_TYPES, RSIT_CLASSIFICATIONS, RSIT_TYPES, TLP_LEVELS } from '@vigia/indicators';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const INDICATOR_SORTS = ['last_seen', 'score', 'org_count'] as const;
export const DEFAULT_INDICATOR_PAGE = 50;

/** `a,b` or `?x=a&x=b` alike: a list of trimmed, non-empty items. */
const list = ({ value }: { value: unknown }): unknown => {
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) =>
    typeof item === 'string' ? item.split(',') : [item],
  );
  return items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
};
const lowerList = (input: { value: unknown }): unknown =>
  (list(input) as unknown[]).map((item) => (typeof item === 'string' ? item.toLowerCase() : item));
const upperList = (input: { value: unknown }): unknown =>
  (list(input) as unknown[]).map((item) => (typeof item === 'string' ? item.toUpperCase() : item));
const bool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** Filters, order and page of `GET /api/v1/indicators`; every filter is optional and they combine with AND. */
export class IndicatorQueryDto {
  @ApiPropertyOptional({ example: 'ipv4,ipv6', description: 'Indicator types, comma-separated' })
  @IsOptional()
  @Transform(lowerList)
  @ArrayMaxSize(20)
  @IsIn(INDICATOR_TYPES, { each: true, message: `type must be among: ${INDICATOR_TYPES.join(', ')}` })
  type?: string[];

  @ApiPropertyOptional({
    example: 'hxxp://evil[.]com',
    description: 'Exact value, canonicalised as ingest does (defanged, any case, with a port or path)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  value?: string;

  @ApiPropertyOptional({ example: '198.51.100.0/24', description: 'Addresses and networks within this network' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cidr?: string;

  @ApiPropertyOptional({ example: '198.51.100.7', description: 'Networks (and the address itself) containing it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ip?: string;

  @ApiPropertyOptional({
    example: 'example.com',
    description: 'The domain and its subdomains; URLs and e-mail addresses whose host is one of them',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  domain?: string;

  @ApiPropertyOptional({ example: 'login.example.com', description: 'URLs whose host is exactly this' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  url_host?: string;

  @ApiPropertyOptional({ example: 'fraud', description: 'RSIT classifications of the reports, comma-separated' })
  @IsOptional()
  @Transform(lowerList)
  @ArrayMaxSize(20)
  @IsIn(RSIT_CLASSIFICATIONS, { each: true, message: 'classification must be an RSIT classification' })
  classification?: string[];

  @ApiPropertyOptional({ example: 'phishing', description: 'RSIT types of the reports, comma-separated' })
  @IsOptional()
  @Transform(lowerList)
  @ArrayMaxSize(50)
  @IsIn(RSIT_TYPES, { each: true, message: 'rsit_type must be an RSIT type' })
  rsit_type?: string[];

  @ApiPropertyOptional({ example: 'green,amber', description: 'TLP 2.0 levels, comma-separated' })
  @IsOptional()
  @Transform(lowerList)
  @ArrayMaxSize(5)
  @IsIn(TLP_LEVELS, { each: true, message: `tlp must be among: ${TLP_LEVELS.join(', ')}` })
  tlp?: string[];

  @ApiPropertyOptional({ description: 'Reporting organisations (ids), comma-separated' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'organisation must be organisation ids' })
  organisation?: string[];

  @ApiPropertyOptional({ example: 'UY', description: "Reports' countries (ISO 3166-1 alpha-2), comma-separated" })
  @IsOptional()
  @Transform(upperList)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'country must be ISO 3166-1 alpha-2 codes' })
  country?: string[];

  @ApiPropertyOptional({ example: 'finance', description: "Reports' sectors, comma-separated" })
  @IsOptional()
  @Transform(lowerList)
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { each: true, message: 'sector must be lower-case slugs' })
  sector?: string[];

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'first_seen_from must be an ISO 8601 date' })
  first_seen_from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'first_seen_to must be an ISO 8601 date' })
  first_seen_to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'last_seen_from must be an ISO 8601 date' })
  last_seen_from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'last_seen_to must be an ISO 8601 date' })
  last_seen_to?: string;

  @ApiPropertyOptional({ description: 'Only indicators not yet expired' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minimum: 1, description: 'Reported by at least this many organisations' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  min_org_count?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  min_score?: number;

  @ApiPropertyOptional({ description: 'Suppressed (warninglist or false-positive feedback) or not' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  suppressed?: boolean;

  @ApiPropertyOptional({ example: 'emotet', description: "Words in the reports' titles and the reporters' notes" })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: INDICATOR_SORTS, default: 'last_seen', description: 'Descending' })
  @IsOptional()
  @IsIn(INDICATOR_SORTS, { message: `sort must be one of: ${INDICATOR_SORTS.join(', ')}` })
  sort?: (typeof INDICATOR_SORTS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: DEFAULT_INDICATOR_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
