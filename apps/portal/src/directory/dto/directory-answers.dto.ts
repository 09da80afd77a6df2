import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrganisationKind } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';

export class PgpKeySummaryDto {
  @ApiProperty({ example: '0D8B2E0C6F1A4B3C9E7D5A1F2B3C4D5E6F7A8B9C', description: 'Upper-case hex' })
  fingerprint: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Null: never expires' })
  expires_at: string | null;
}

/** Where a contact stands in the latest reachability check that asked it. */
export enum ReachabilityStatus {
  /** Never asked. */
  Unchecked = 'unchecked',
  /** Asked; the time to answer has not run out. */
  Pending = 'pending',
  Confirmed = 'confirmed',
  /** Asked, and did not confirm in time: flagged. */
  Unconfirmed = 'unconfirmed',
}

export class ContactReachabilityDto {
  @ApiProperty({ enum: ReachabilityStatus, description: 'unconfirmed: did not confirm the latest check in time' })
  status: ReachabilityStatus;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the latest check asked' })
  requested_at: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  respond_by: string | null;
}

export class DirectoryContactDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  role: string;

  @ApiProperty()
  email: string;

  @ApiProperty({ example: '+59821234567' })
  phone: string;

  @ApiProperty({ type: PgpKeySummaryDto, nullable: true, description: 'The armored key itself is never answered' })
  pgp_key: PgpKeySummaryDto | null;

  @ApiProperty({ example: 'America/Montevideo' })
  time_zone: string;

  @ApiProperty({ type: [String], example: ['es', 'en'] })
  languages: string[];

  @ApiProperty({ example: '24/7' })
  hours: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Last reachability confirmation' })
  last_confirmed_at: string | null;

  @ApiPropertyOptional({ type: ContactReachabilityDto, description: 'In directory entries (not in lookups)' })
  reachability?: ContactReachabilityDto;
}

export class DirectoryOrganisationDto {
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

export class ConstituencyAnswerDto {
  @ApiProperty({ type: [String], example: ['198.51.100.0/24'] })
  cidrs: string[];

  @ApiProperty({ type: [Number], example: [64500] })
  asns: number[];

  @ApiProperty({ type: [String], example: ['gub.uy'] })
  domains: string[];
}

/** Who an organisation is and how to reach it. */
export class DirectoryCardDto {
  @ApiProperty({ type: DirectoryOrganisationDto })
  organisation: DirectoryOrganisationDto;

  @ApiProperty({ nullable: true, type: String })
  website: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Mandate or founding reference' })
  mandate: string | null;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Null: never written' })
  updated_at: string | null;

  @ApiProperty({ type: [DirectoryContactDto] })
  contacts: DirectoryContactDto[];
}

export class DirectoryEntryDto extends DirectoryCardDto {
  @ApiProperty({ type: ConstituencyAnswerDto })
  constituency: ConstituencyAnswerDto;
}

export class DirectoryPageDto {
  @ApiProperty({ type: [DirectoryEntryDto] })
  items: DirectoryEntryDto[];

  @ApiProperty({ description: 'Entries matching the search' })
  total: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;
}

export const LOOKUP_TYPES = [IndicatorType.Ipv4, IndicatorType.Ipv6, IndicatorType.Domain, IndicatorType.Asn] as const;
export type LookupType = (typeof LOOKUP_TYPES)[number];

export class LookupAnswerDto {
  @ApiProperty({ example: '198.51.100.7', description: 'The value as canonicalised (punycode, RFC 5952...)' })
  value: string;

  @ApiProperty({ enum: LOOKUP_TYPES })
  type: LookupType;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '198.51.100.0/24',
    description: 'The most specific network, the longest domain suffix or the AS number that matched',
  })
  matched: string | null;

  @ApiProperty({
    type: [DirectoryCardDto],
    description: 'Who answers for it, with their 24/7 contacts (several when they share the match)',
  })
  organisations: DirectoryCardDto[];
}
