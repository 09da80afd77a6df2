import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PgpKeySummaryDto } from '../../directory/dto/pgp-key.dto';
import { INDICATOR_TYPES, RSIT_CLASSIFICATIONS, SEVERITIES } from '@vigia/indicators';

export class ConstituencyAnswerDto {
  @ApiProperty({ type: [String], example: ['198.51.100.0/24'] })
  cidrs: string[];

  @ApiProperty({ type: [Number], example: [64496] })
  asns: number[];

  @ApiProperty({ type: [String], example: ['gub.uy'] })
  domains: string[];
}

export class SubscriptionFiltersAnswerDto {
  @ApiProperty({ enum: INDICATOR_TYPES, isArray: true })
  indicator_types: string[];

  @ApiProperty({ enum: RSIT_CLASSIFICATIONS, isArray: true })
  classifications: string[];

  @ApiProperty({ enum: SEVERITIES, nullable: true, type: String })
  min_severity: string | null;

  @ApiProperty({ nullable: true, type: Number })
  min_confidence: number | null;

  @ApiProperty({ type: [String] })
  countries: string[];

  @ApiProperty({ type: [String] })
  sectors: string[];

  @ApiProperty({ nullable: true, type: Number })
  min_org_count: number | null;

  @ApiProperty({ nullable: true, type: Number })
  min_score: number | null;

  @ApiProperty({ type: ConstituencyAnswerDto })
  constituency: ConstituencyAnswerDto;

  @ApiProperty()
  include_own_reports: boolean;

  @ApiProperty({ description: 'TLP:RED reports shared with the organisation are delivered' })
  accepts_red: boolean;
}

/**
 * A channel as shown to its owner; webhook fields only for webhooks (`secret` only when just created), e-mail fields
 * only for e-mail channels.
 */
export class ChannelAnswerDto {
  @ApiProperty({ enum: ['webhook', 'stream', 'email'] })
  type: 'webhook' | 'stream' | 'email';

  @ApiPropertyOptional({ format: 'uuid', description: 'The webhook endpoint’s or e-mail channel’s id' })
  id?: string;

  @ApiPropertyOptional()
  url?: string;

  @ApiPropertyOptional({ description: 'Signing secret (whsec_...), shown once: when the endpoint is created' })
  secret?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  disabled_at?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'receiver answered 410 Gone' })
  disabled_reason?: string | null;

  @ApiPropertyOptional({ example: 'soc@csirt.example' })
  address?: string;

  @ApiPropertyOptional({ enum: ['immediate', 'hourly', 'daily'] })
  mode?: string;

  @ApiPropertyOptional({ enum: ['en', 'es', 'pt', 'fr'] })
  language?: string;

  @ApiPropertyOptional({
    type: PgpKeySummaryDto,
    nullable: true,
    description: 'email only: the OpenPGP key mails are encrypted to (never the key itself); null: mails go in clear',
  })
  pgp_key?: PgpKeySummaryDto | null;
}

export class SubscriptionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: SubscriptionFiltersAnswerDto })
  filters: SubscriptionFiltersAnswerDto;

  @ApiProperty({ type: [ChannelAnswerDto] })
  channels: ChannelAnswerDto[];

  @ApiProperty()
  created_at: string;

  @ApiProperty()
  updated_at: string;
}

export class SubscriptionListDto {
  @ApiProperty({ type: [SubscriptionDto] })
  items: SubscriptionDto[];
}

export class RotatedSecretDto {
  @ApiProperty({ format: 'uuid' })
  endpoint_id: string;

  @ApiProperty({ description: 'The new signing secret, shown once' })
  secret: string;

  @ApiProperty({ description: 'Until then deliveries are signed with the new and the previous secret' })
  previous_secret_valid_until: string;
}
