import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, Matches } from 'class-validator';
import { InstantCursorQuery, QueryInteger } from '@vigia/common';
import { MailStatus } from '@vigia/database';

const MAIL_STATUSES = Object.values(MailStatus);

/** Which mails: every filter is optional and they all apply. */
export class MailLogQueryDto {
  @ApiPropertyOptional({ example: 'warning-immediate', description: 'What the mails are about' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'category must be a lower-case category such as warning-digest' })
  category?: string;

  @ApiPropertyOptional({ enum: MAIL_STATUSES })
  @IsOptional()
  @IsIn(MAIL_STATUSES, { message: `status must be one of: ${MAIL_STATUSES.join(', ')}` })
  status?: MailStatus;

  @ApiPropertyOptional({ example: 'soc@csirt.example', description: 'The recipient’s address (any case)' })
  @IsOptional()
  @IsEmail({}, { message: 'recipient must be an e-mail address' })
  recipient?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @QueryInteger(1, 200)
  limit?: number;

  @InstantCursorQuery()
  cursor?: string;
}

export class MailLogEntryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the local part of the mail’s Message-ID' })
  id: string;

  @ApiProperty({ example: 'warning-digest' })
  category: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The organisation the mail concerns' })
  organisation_id: string | null;

  @ApiProperty({ example: 'soc@csirt.example' })
  recipient: string;

  @ApiProperty({ enum: ['en', 'es', 'pt', 'fr'] })
  locale: string;

  @ApiProperty()
  subject: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Only for logged mails (no SMTP server configured); sent and failed mails keep no body',
  })
  body: string | null;

  @ApiProperty({ description: 'Encrypted to the recipient’s OpenPGP key' })
  encrypted: boolean;

  @ApiProperty({ enum: MAIL_STATUSES })
  status: MailStatus;

  @ApiProperty({ description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({ nullable: true, type: String, example: '452 Mailbox full, try again later' })
  last_error: string | null;

  @ApiProperty()
  created_at: string;

  @ApiProperty({ nullable: true, type: String })
  finished_at: string | null;
}

export class MailLogPageDto {
  @ApiProperty({ type: [MailLogEntryDto], description: 'Newest first' })
  items: MailLogEntryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
