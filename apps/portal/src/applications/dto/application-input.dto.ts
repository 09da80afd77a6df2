import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  FreeText,
  LowerCase,
  MailAddress,
  MAX_OFFSET,
  QueryInteger,
  SingleLineText,
  Trim,
  UpperCase,
} from '@vigia/common';
import { ApplicationStatus, OrganisationKind } from '@vigia/database';
import { MAIL_LOCALES, MailLocale } from '@vigia/mail';
import { IsUsablePgpKey } from '@vigia/pgp';
import { EachContactOwnAddress } from '../../directory/contact-addresses';
import { DirectoryContactInputDto, MAX_CONTACTS } from '../../directory/dto/directory-input.dto';
import { MEMBER_KINDS } from '../../organisations/dto/organisation.dto';
import { ConstituencyDto } from '../../subscriptions/dto/subscription-input.dto';

const MAX_TEXT = 5000;
/** As the directory keeps it. */
const MAX_MANDATE = 2000;

const HasSomeConstituency = (): PropertyDecorator =>
  ValidateBy({
    name: 'hasSomeConstituency',
    validator: {
      validate: (value: unknown) => {
        const constituency = value as ConstituencyDto | undefined;
        return [constituency?.cidrs, constituency?.asns, constituency?.domains].some(
          (list) => Array.isArray(list) && list.length > 0,
        );
      },
      defaultMessage: () => 'claim at least one network (CIDR), AS number or domain',
    },
  });

/**
 * A proposed 24/7 contact: what the directory keeps of a contact (approval writes it there). Its key is checked with
 * the rest of the form, so an applicant sees every problem at once (the service reads it again for the fingerprint).
 */
export class ApplicationContactDto extends DirectoryContactInputDto {
  @IsUsablePgpKey()
  declare pgp_key?: string | null;
}

export class SubmitApplicationDto {
  @ApiProperty({ description: 'From GET /api/v1/applications/form, sent once, not sooner than its min_fill_seconds' })
  @IsString()
  @MaxLength(200)
  form_token: string;

  @ApiPropertyOptional({
    description: 'Leave out or empty: a form field hidden from people, which only robots fill in',
  })
  @IsOptional()
  @Allow()
  homepage?: unknown;

  @ApiProperty({ example: 'CERT Example', maxLength: 200 })
  @SingleLineText(200, 2)
  team_name: string;

  @ApiProperty({ enum: MEMBER_KINDS, example: OrganisationKind.NationalCsirt })
  @IsIn(MEMBER_KINDS, { message: `kind must be one of: ${MEMBER_KINDS.join(', ')}` })
  kind: OrganisationKind;

  @ApiProperty({ example: 'UY', description: 'ISO 3166-1 alpha-2' })
  @UpperCase()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as UY' })
  country: string;

  @ApiProperty({ example: 'government', maxLength: 100 })
  @SingleLineText(100)
  sector: string;

  @ApiProperty({ example: 'Decree 451/2008 creates the national CSIRT', maxLength: MAX_MANDATE })
  @FreeText(MAX_MANDATE)
  mandate: string;

  @ApiProperty({ example: 'https://www.cert.example' })
  @Trim()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'website must be an http(s):// address such as https://www.cert.example' },
  )
  @MaxLength(2048)
  website: string;

  @ApiProperty({ type: ConstituencyDto, description: 'Canonicalised like indicators; at least one entry' })
  @ValidateNested()
  @Type(() => ConstituencyDto)
  @HasSomeConstituency()
  constituency: ConstituencyDto;

  @ApiProperty({ type: [ApplicationContactDto], description: `1 to ${MAX_CONTACTS} proposed 24/7 contacts` })
  @IsArray()
  @ArrayMinSize(1, { message: 'propose at least one 24/7 contact' })
  @ArrayMaxSize(MAX_CONTACTS)
  @ValidateNested({ each: true })
  @Type(() => ApplicationContactDto)
  @EachContactOwnAddress()
  contacts: ApplicationContactDto[];

  @ApiProperty({ example: 'Ana Pérez', maxLength: 200, description: 'Who applies; the first org-admin once approved' })
  @SingleLineText(200)
  applicant_name: string;

  @ApiProperty({ example: 'ana@cert.example', description: 'Verified by link before review starts' })
  @LowerCase()
  @MailAddress('applicant_email must be an e-mail address')
  applicant_email: string;

  @ApiProperty({ enum: MAIL_LOCALES, description: 'The language of the mails the applicant gets' })
  @IsIn(MAIL_LOCALES, { message: `preferred_language must be one of: ${MAIL_LOCALES.join(', ')}` })
  preferred_language: MailLocale;
}

export class ApplicationTokenDto {
  @ApiProperty({ description: 'The token of the link mailed to the applicant' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  token: string;
}

export class AnswerApplicationDto extends ApplicationTokenDto {
  @ApiProperty({ maxLength: MAX_TEXT })
  @FreeText(MAX_TEXT)
  answer: string;
}

export class WithdrawApplicationDto extends ApplicationTokenDto {
  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @FreeText(MAX_TEXT, 0)
  reason?: string;
}

/** Statuses the coordinator moves an application to (withdrawal is the applicant's). */
export const COORDINATOR_TARGETS = [
  ApplicationStatus.UnderReview,
  ApplicationStatus.InformationRequested,
  ApplicationStatus.Approved,
  ApplicationStatus.Rejected,
] as const;

/** Targets whose reason goes to the applicant, so it is required. */
const REASON_REQUIRED: readonly ApplicationStatus[] = [
  ApplicationStatus.InformationRequested,
  ApplicationStatus.Rejected,
];

export class ApplicationTransitionDto {
  @ApiProperty({ enum: COORDINATOR_TARGETS })
  @IsIn(COORDINATOR_TARGETS, { message: `status must be one of: ${COORDINATOR_TARGETS.join(', ')}` })
  status: ApplicationStatus;

  @ApiPropertyOptional({
    maxLength: MAX_TEXT,
    description: 'Required for information_requested (the question) and rejected: both are mailed to the applicant',
  })
  @ValidateIf((dto: ApplicationTransitionDto) => REASON_REQUIRED.includes(dto.status) || dto.reason !== undefined)
  @Trim()
  @IsString({ message: 'reason is required for information_requested and rejected' })
  @MinLength(1, { message: 'reason is required for information_requested and rejected' })
  @MaxLength(MAX_TEXT)
  reason?: string;

  @ApiPropertyOptional({
    example: 'cert-example',
    description: 'Approval: the new organisation’s short name (default: from the team name)',
  })
  @IsOptional()
  @LowerCase()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,31}$/, {
    message: 'short_name must be 2-32 lower-case letters, digits or dashes, starting with a letter or digit',
  })
  short_name?: string;
}

export class ApplicationCommentDto {
  @ApiProperty({ maxLength: MAX_TEXT, description: 'For the coordinators: never sent to the applicant' })
  @FreeText(MAX_TEXT)
  comment: string;
}

export class EndorsementDto {
  @ApiProperty({ maxLength: MAX_TEXT, example: 'We have worked with this team for years' })
  @FreeText(MAX_TEXT)
  comment: string;
}

export class ExternalEndorsementDto extends EndorsementDto {
  @ApiProperty({ maxLength: 200, example: 'National contact point, Ministry of Industry of Uruguay' })
  @SingleLineText(200)
  endorser: string;
}

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ApplicationListQueryDto {
  @ApiPropertyOptional({ enum: ApplicationStatus })
  @IsOptional()
  @IsIn(Object.values(ApplicationStatus))
  status?: ApplicationStatus;

  @ApiPropertyOptional({ example: 'UY' })
  @IsOptional()
  @UpperCase()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ description: 'Only applications whose applicant verified their address (true) or not' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  verified?: boolean;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @QueryInteger(1, 200)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @QueryInteger(0, MAX_OFFSET)
  offset?: number;
}
