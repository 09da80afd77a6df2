import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO31661Alpha2, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_OFFSET, QueryInteger, SingleLineText, UpperCase } from '@vigia/common';
import { OrganisationKind } from '@vigia/database';

const KINDS = Object.values(OrganisationKind);

export const DEFAULT_PAGE_SIZE = 20;

export class SearchDirectoryQueryDto {
  @ApiPropertyOptional({ example: 'UY', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @UpperCase()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as UY' })
  country?: string;

  @ApiPropertyOptional({ example: 'government', description: 'Exact, case-insensitive' })
  @IsOptional()
  @SingleLineText(100)
  sector?: string;

  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS, { message: `kind must be one of: ${KINDS.join(', ')}` })
  kind?: OrganisationKind;

  @ApiPropertyOptional({ example: 'cert', description: 'Part of the name or short name, case-insensitive' })
  @IsOptional()
  @SingleLineText(100)
  name?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })
  @QueryInteger(1, 100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @QueryInteger(0, MAX_OFFSET)
  offset?: number;
}

export class LookupQueryDto {
  @ApiProperty({
    example: '198.51.100.7',
    description: 'An IPv4 or IPv6 address, a domain name (IDN or punycode), or an AS number (AS64500 or 64500)',
  })
  @IsString({ message: 'value must be an address, a domain name or an AS number' })
  @MinLength(1)
  @MaxLength(300)
  value: string;
}

export enum DirectoryExportFormat {
  Json = 'json',
  Vcard = 'vcard',
}

const FORMATS = Object.values(DirectoryExportFormat);

export class ExportDirectoryQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, default: DirectoryExportFormat.Json })
  @IsOptional()
  @IsIn(FORMATS, { message: `format must be one of: ${FORMATS.join(', ')}` })
  format?: DirectoryExportFormat;
}
