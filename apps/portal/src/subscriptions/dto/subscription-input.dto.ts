import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EachItemAccepted, MailAddress, ReadEach } from '@vigia/common';
import { EMAIL_CHANNEL_MODES, EmailChannelMode } from '@vigia/database';
import { INDICATOR_TYPES, RSIT_CLASSIFICATIONS, SEVERITIES, Severity } from '@vigia/indicators';
import { MAIL_LOCALES } from '@vigia/mail';
import { MAX_ARMORED_KEY_LENGTH } from '@vigia/pgp';
import { canonicaliseAsn, canonicaliseCidr, canonicaliseDomainSuffix } from './constituency.canonicalisers';

export enum ChannelType {
  Webhook = 'webhook',
  Stream = 'stream',
  Email = 'email',
}

export const CHANNEL_TYPES: readonly ChannelType[] = Object.values(ChannelType);

const MAX_CONSTITUENCY_ITEMS = 1000;

/** The least severity that warns (subscriptions, constituency warnings); null or absent: every severity. */
export const MinSeverity = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      enum: SEVERITIES,
      nullable: true,
      example: 'high',
      description: 'low < medium < high < critical',
    }),
    IsOptional(),
    IsIn(SEVERITIES, { message: `min_severity must be one of: ${SEVERITIES.join(', ')}` }),
  );

const upperCaseEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.toUpperCase() : item)) : value;

const MAX_URL_LENGTH = 2048;

/** Syntax only; where the URL may point is the SSRF policy's call, when the subscription is saved. */
const IsHttpUrl = (): PropertyDecorator =>
  ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return false;
        try {
          return ['http:', 'https:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      defaultMessage: () => `a webhook needs an absolute https:// url of at most ${MAX_URL_LENGTH} characters`,
    },
  });

export class ConstituencyDto {
  @ApiPropertyOptional({ type: [String], example: ['198.51.100.0/24', '2001:db8::/32'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONSTITUENCY_ITEMS)
  @ReadEach(canonicaliseCidr)
  @EachItemAccepted()
  cidrs?: string[] | null;

  @ApiPropertyOptional({ type: [Number], example: [64496] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONSTITUENCY_ITEMS)
  @ReadEach(canonicaliseAsn)
  @EachItemAccepted()
  asns?: number[] | null;

  @ApiPropertyOptional({ type: [String], example: ['gub.uy'], description: 'Suffixes: gub.uy matches *.gub.uy' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONSTITUENCY_ITEMS)
  @ReadEach(canonicaliseDomainSuffix)
  @EachItemAccepted()
  domains?: string[] | null;
}

/** What to be warned about; an absent or empty filter matches everything. */
export class SubscriptionFiltersDto {
  @ApiPropertyOptional({ enum: INDICATOR_TYPES, isArray: true, example: ['ipv4', 'domain'] })
  @IsOptional()
  @IsArray()
  @IsIn(INDICATOR_TYPES, { each: true, message: `each indicator type must be one of: ${INDICATOR_TYPES.join(', ')}` })
  indicator_types?: string[] | null;

  @ApiPropertyOptional({ enum: RSIT_CLASSIFICATIONS, isArray: true, example: ['fraud'] })
  @IsOptional()
  @IsArray()
  @IsIn(RSIT_CLASSIFICATIONS, { each: true, message: 'each classification must be an RSIT classification' })
  classifications?: string[] | null;

  @MinSeverity()
  min_severity?: Severity | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, nullable: true, example: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  min_confidence?: number | null;

  @ApiPropertyOptional({ type: [String], example: ['UY'], description: 'ISO 3166-1 alpha-2 of the report' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(250)
  @Transform(upperCaseEach)
  @IsISO31661Alpha2({ each: true })
  countries?: string[] | null;

  @ApiPropertyOptional({ type: [String], example: ['finance'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { each: true, message: 'each sector must be a lower-case slug' })
  sectors?: string[] | null;

  @ApiPropertyOptional({ minimum: 1, nullable: true, example: 2, description: 'Seen by at least N organisations' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  min_org_count?: number | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    nullable: true,
    example: 40,
    description: 'Only indicators whose score (0-100, docs/indicators.md) is at least this',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  min_score?: number | null;

  @ApiPropertyOptional({ type: ConstituencyDto, description: 'Indicators in these networks, ASes or domains' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstituencyDto)
  constituency?: ConstituencyDto | null;

  @ApiPropertyOptional({ default: false, description: 'Also warn about reports this organisation submitted' })
  @IsOptional()
  @IsBoolean()
  include_own_reports?: boolean | null;

  @ApiPropertyOptional({
    default: false,
    description:
      'Also receive TLP:RED reports shared with this organisation. Only for channels that reach named people of ' +
      'the organisation, never for feeds into other systems',
  })
  @IsOptional()
  @IsBoolean()
  accepts_red?: boolean | null;
}

const isEmail = (channel: ChannelDto): boolean => channel.type === ChannelType.Email;

export class ChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES, example: 'webhook' })
  @IsIn(CHANNEL_TYPES, { message: `type must be one of: ${CHANNEL_TYPES.join(', ')}` })
  type: ChannelType;

  @ApiPropertyOptional({ example: 'https://soc.example.org/vigia/hooks', description: 'webhook only' })
  @ValidateIf((channel: ChannelDto) => channel.type === ChannelType.Webhook)
  @IsHttpUrl()
  url?: string;

  @ApiPropertyOptional({ example: 'soc@csirt.example', description: 'email only: where warnings go' })
  @ValidateIf(isEmail)
  @MailAddress('an email channel needs an e-mail address')
  address?: string;

  @ApiPropertyOptional({
    description:
      'email only: an ASCII-armored OpenPGP public key; every mail to the address is then encrypted to it. ' +
      'Refused when expired, revoked or unable to encrypt. Null (or blank) for mail in clear. Left out, a channel ' +
      'kept by its address keeps its registered key (a new channel has none)',
    nullable: true,
  })
  @ValidateIf(
    (channel: ChannelDto) =>
      isEmail(channel) && channel.pgp_public_key !== undefined && channel.pgp_public_key !== null,
  )
  @IsString()
  @MaxLength(MAX_ARMORED_KEY_LENGTH)
  pgp_public_key?: string | null;

  @ApiPropertyOptional({
    enum: EMAIL_CHANNEL_MODES,
    default: EmailChannelMode.Immediate,
    description: 'email only: a mail per warning, or one digest per hour or per day (UTC)',
  })
  @ValidateIf((channel: ChannelDto) => isEmail(channel) && channel.mode !== undefined)
  @IsIn(EMAIL_CHANNEL_MODES, { message: `mode must be one of: ${EMAIL_CHANNEL_MODES.join(', ')}` })
  mode?: EmailChannelMode;

  @ApiPropertyOptional({ enum: MAIL_LOCALES, default: 'en', description: 'email only: the language of the mails' })
  @ValidateIf((channel: ChannelDto) => isEmail(channel) && channel.language !== undefined)
  @IsIn(MAIL_LOCALES, { message: `language must be one of: ${MAIL_LOCALES.join(', ')}` })
  language?: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'Phishing against our constituency', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: SubscriptionFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubscriptionFiltersDto)
  filters?: SubscriptionFiltersDto | null;

  @ApiProperty({ type: [ChannelDto], description: 'One or more; at most one stream' })
  @IsArray()
  @ArrayMinSize(1, { message: 'channels must list at least one channel' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChannelDto)
  channels: ChannelDto[];
}

/**
 * Every field optional; a filter that is given replaces the stored one (null or [] clears it). Given `channels`
 * replace the channel list: webhooks are kept by URL (with their secret and history), new URLs get new endpoints,
 * missing ones are deleted; e-mail channels are kept by address (with their OpenPGP key unless a key or null is
 * given).
 */
export class UpdateSubscriptionDto extends PartialType(CreateSubscriptionDto) {}
