import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { SEVERITIES, Severity } from '@vigia/indicators';
import { MinSeverity } from '../../subscriptions/dto/subscription-input.dto';

export class ConstituencyWarningChannelsDto {
  @ApiProperty({ description: 'The organisation’s live stream (GET /api/v1/stream)' })
  @IsBoolean()
  stream: boolean;

  @ApiProperty({ description: 'Mail to its 24/7 contacts in the directory, encrypted to their OpenPGP keys' })
  @IsBoolean()
  email: boolean;

  @ApiProperty({
    description: 'Its webhook endpoints: per distinct URL the oldest enabled endpoint of its active subscriptions',
  })
  @IsBoolean()
  webhook: boolean;
}

/** The channels to change: those not given keep their value. */
export class ConstituencyWarningChannelChangesDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  webhook?: boolean;
}

/** The settings to change: fields not given keep their value; `min_severity: null` warns at every severity. */
export class UpdateConstituencyWarningsDto {
  @ApiPropertyOptional({ description: 'Off: no constituency warnings on any channel' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @MinSeverity()
  min_severity?: Severity | null;

  @ApiPropertyOptional({ type: ConstituencyWarningChannelChangesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConstituencyWarningChannelChangesDto)
  channels?: ConstituencyWarningChannelChangesDto;

  @ApiPropertyOptional({
    description: 'Also TLP:RED reports addressed to this organisation (a RED report not addressed to it never comes)',
  })
  @IsOptional()
  @IsBoolean()
  accepts_red?: boolean;
}

export class ConstituencyWarningsDto {
  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty({ description: 'On unless the organisation turned it off' })
  enabled: boolean;

  @ApiProperty({ enum: SEVERITIES, nullable: true, type: String })
  min_severity: Severity | null;

  @ApiProperty({ type: ConstituencyWarningChannelsDto })
  channels: ConstituencyWarningChannelsDto;

  @ApiProperty()
  accepts_red: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Null while the defaults apply' })
  updated_at: string | null;
}
