import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO6391,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { FreeText, MailAddress, SingleLineText, TrimToNull } from '@vigia/common';
import { MAX_ARMORED_KEY_LENGTH } from '@vigia/pgp';
import { ConstituencyDto } from '../../subscriptions/dto/subscription-input.dto';

export const MAX_CONTACTS = 20;
const E164 = /^\+[1-9][0-9]{1,14}$/;

/** People write numbers with spaces, dots, dashes and parentheses; E.164 has none of them. */
const phoneDigits = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.replace(/[\s().-]/g, '') : value;
const lowerCaseEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim().toLowerCase() : item)) : value;

/**
 * The IANA name of a time zone as Intl knows it (`america/montevideo` → `America/Montevideo`), or undefined for
 * anything else (offsets such as `+03:00` and abbreviations such as `CEST` are not IANA names).
 */
export function ianaTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(value)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const canonicalTimeZone = ({ value }: { value: unknown }): unknown => ianaTimeZone(value) ?? value;

const IsIanaTimeZone = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (value: unknown) => ianaTimeZone(value) !== undefined,
      defaultMessage: () => 'time_zone must be an IANA time zone such as America/Montevideo',
    },
  });

/** A 24/7 contact as an editor sends it. */
export class DirectoryContactInputDto {
  @ApiProperty({ example: 'Duty officer', maxLength: 200 })
  @SingleLineText(200)
  name: string;

  @ApiProperty({ example: 'Incident desk', maxLength: 100, description: 'What the contact is' })
  @SingleLineText(100)
  role: string;

  @ApiProperty({ example: 'incidentes@cert.example', description: 'Known by this address within the organisation' })
  @MailAddress('email must be an e-mail address')
  email: string;

  @ApiProperty({ example: '+59821234567', description: 'E.164; spaces, dots, dashes and parentheses are dropped' })
  @Transform(phoneDigits)
  @IsString()
  @Matches(E164, { message: 'phone must be an E.164 number: + then country code and number, such as +59821234567' })
  phone: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'ASCII-armored OpenPGP public key. Left out: the key already registered for this e-mail address stays; ' +
      'null: no key. Expired, revoked and unusable keys are refused',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_ARMORED_KEY_LENGTH)
  pgp_key?: string | null;

  @ApiProperty({ example: 'America/Montevideo', description: 'IANA time zone' })
  @Transform(canonicalTimeZone)
  @IsIanaTimeZone()
  time_zone: string;

  @ApiProperty({ type: [String], example: ['es', 'en'], description: 'ISO 639-1 codes' })
  @IsArray()
  @ArrayMinSize(1, { message: 'languages must list at least one ISO 639-1 code' })
  @ArrayMaxSize(20)
  @Transform(lowerCaseEach)
  @IsISO6391({ each: true, message: 'each language must be an ISO 639-1 code such as es' })
  languages: string[];

  @ApiProperty({ example: '24/7', maxLength: 200, description: 'When the contact answers (line breaks allowed)' })
  @FreeText(200)
  hours: string;
}

/** An organisation's whole directory entry: it replaces the stored one (what is left out is cleared). */
export class PutDirectoryEntryDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://www.cert.example' })
  @IsOptional()
  @TrimToNull()
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: true },
    { message: 'website must be an absolute http(s) URL' },
  )
  @MaxLength(2048)
  website?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'Decree 451/009',
    description: 'Mandate or founding reference',
  })
  @IsOptional()
  @TrimToNull()
  @IsString()
  @MaxLength(2000)
  mandate?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 4000 })
  @IsOptional()
  @TrimToNull()
  @IsString()
  @MaxLength(4000)
  description?: string | null;

  @ApiPropertyOptional({
    type: [DirectoryContactInputDto],
    description: `24/7 contacts in order, ${MAX_CONTACTS} at most`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONTACTS)
  @ValidateNested({ each: true })
  @Type(() => DirectoryContactInputDto)
  contacts?: DirectoryContactInputDto[] | null;

  @ApiPropertyOptional({ type: ConstituencyDto, description: 'Networks, AS numbers and domain suffixes' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConstituencyDto)
  constituency?: ConstituencyDto | null;
}
