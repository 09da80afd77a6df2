import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IndicatorType } from '@vigia/indicators';
import { OrganisationSummaryDto } from '../../organisations/dto/organisation.dto';
import { ConstituencyAnswerDto } from '../../subscriptions/dto/subscription-answers.dto';
import { PgpKeySummaryDto } from './pgp-key.dto';

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

/** A 24/7 contact as the directory keeps it (and as an application proposes it). */
export class ContactDetailsDto {
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
}

export class DirectoryContactDto extends ContactDetailsDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Last reachability confirmation' })
  last_confirmed_at: string | null;

  @ApiPropertyOptional({ type: ContactReachabilityDto, description: 'In directory entries (not in lookups)' })
  reachability?: ContactReachabilityDto;
}

/** Who an organisation is and how to reach it. */
export class DirectoryCardDto {
  @ApiProperty({ type: OrganisationSummaryDto })
  organisation: OrganisationSummaryDto;

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
