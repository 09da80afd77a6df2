import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_RESPOND_WITHIN_HOURS = 72;

export class StartReachabilityCheckDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    default: DEFAULT_RESPOND_WITHIN_HOURS,
    description: 'Contacts that have not confirmed within this many hours are flagged',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  respond_within_hours?: number;
}

export class UnconfirmedContactDto {
  @ApiProperty({ format: 'uuid' })
  contact_id: string;

  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty()
  organisation_name: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  email: string;
}

export class ReachabilityCheckDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  started_at: string;

  @ApiProperty({ format: 'date-time' })
  respond_by: string;

  @ApiProperty({ description: 'True once respond_by has passed: the unconfirmed contacts are then flagged' })
  closed: boolean;

  @ApiProperty({ description: '24/7 contacts asked (of active organisations)' })
  asked: number;

  @ApiProperty()
  confirmed: number;

  @ApiProperty({ type: [UnconfirmedContactDto], description: 'Not confirmed (yet)' })
  unconfirmed: UnconfirmedContactDto[];
}

export class ContactConfirmationDto {
  @ApiProperty({ format: 'date-time' })
  confirmed_at: string;
}

export class ConfirmContactDto {
  @ApiProperty({ description: 'The token of the link mailed to the contact' })
  @IsString()
  @MaxLength(200)
  token: string;
}
