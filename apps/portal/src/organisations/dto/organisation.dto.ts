import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO31661Alpha2, IsOptional, IsString, Matches } from 'class-validator';
import { FreeText, LowerCase, SingleLineText, UpperCase } from '@vigia/common';
import { OrganisationKind, OrganisationStatus } from '@vigia/database';

/** Kinds a coordinator may create: the network has exactly one coordinating organisation, made by the seed. */
export const MEMBER_KINDS: readonly OrganisationKind[] = Object.values(OrganisationKind).filter(
  (kind) => kind !== OrganisationKind.Coordinator,
);

/** Statuses a coordinator may set. */
export const SETTABLE_STATUSES: readonly OrganisationStatus[] = [
  OrganisationStatus.Active,
  OrganisationStatus.Suspended,
];

export class CreateOrganisationDto {
  @ApiProperty({ example: 'CERTuy', maxLength: 200 })
  @SingleLineText(200, 2)
  name: string;

  @ApiProperty({ example: 'certuy', description: 'Unique; lower-case letters, digits and dashes (2-32)' })
  @LowerCase()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,31}$/, {
    message: 'short_name must be 2-32 lower-case letters, digits or dashes, starting with a letter or digit',
  })
  short_name: string;

  @ApiPropertyOptional({ enum: MEMBER_KINDS, default: OrganisationKind.NationalCsirt })
  @IsOptional()
  @IsIn(MEMBER_KINDS)
  kind?: OrganisationKind;

  @ApiProperty({ example: 'UY', description: 'ISO 3166-1 alpha-2' })
  @UpperCase()
  @IsISO31661Alpha2()
  country: string;

  @ApiPropertyOptional({ example: 'government', maxLength: 100 })
  @IsOptional()
  @SingleLineText(100)
  sector?: string;
}

export class UpdateOrganisationStatusDto {
  @ApiProperty({ enum: SETTABLE_STATUSES })
  @IsIn(SETTABLE_STATUSES)
  status: OrganisationStatus;

  @ApiProperty({
    example: 'Its API key was leaked; suspended until it is rotated',
    description: 'Why: required for a suspension and a reinstatement alike; recorded in the audit log',
    minLength: 3,
    maxLength: 1000,
  })
  @FreeText(1000, 3)
  reason: string;
}

/** Who an organisation is, as members see each other (in the directory). */
export class OrganisationSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  short_name: string;

  @ApiProperty({ enum: OrganisationKind })
  kind: OrganisationKind;

  @ApiProperty({ nullable: true, type: String, example: 'UY' })
  country: string | null;

  @ApiProperty({ nullable: true, type: String })
  sector: string | null;
}

export class OrganisationDto extends OrganisationSummaryDto {
  @ApiProperty({ enum: OrganisationStatus })
  status: OrganisationStatus;

  @ApiProperty({ nullable: true, type: String, description: 'The coordinator’s reason for the last status change' })
  status_reason: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  status_changed_at: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

export class OrganisationListDto {
  @ApiProperty({ type: [OrganisationDto] })
  items: OrganisationDto[];
}
