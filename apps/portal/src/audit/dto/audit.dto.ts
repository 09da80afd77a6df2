import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { QueryInteger } from '@vigia/common';

/** Which events: every filter is optional and they all apply. */
export class AuditQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Coordinators: only this organisation’s events. Org admins always see only their own organisation.',
  })
  @IsOptional()
  @IsUUID()
  organisation?: string;

  @ApiPropertyOptional({
    example: 'subscription.',
    description: 'An action (`subscription.created`) or a prefix of actions (`subscription.` is every one of them)',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z_.]{0,63}$/, { message: 'action must be an action or a prefix such as subscription.' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user or API key that acted' })
  @IsOptional()
  @IsUUID()
  actor?: string;

  @ApiPropertyOptional({ example: '2025-01-01T00:00:00Z', description: 'From this time on (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2025-02-01T00:00:00Z', description: 'Before this time (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ListAuditQueryDto extends AuditQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @QueryInteger(1, 500)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AuditEventDto {
  @ApiProperty({ example: '1042', description: 'Increases with every event (a 64-bit integer, as a string)' })
  id: string;

  @ApiProperty()
  occurred_at: string;

  @ApiProperty({ format: 'uuid', description: 'The organisation acted on, or on whose behalf the actor acted' })
  organisation_id: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The person who acted' })
  actor_user_id: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The API key that acted' })
  actor_api_key_id: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The organisation the actor belongs to' })
  actor_organisation_id: string | null;

  @ApiProperty({ example: 'subscription.created' })
  action: string;

  @ApiProperty({ nullable: true, type: String, example: 'subscription' })
  target_type: string | null;

  @ApiProperty({ nullable: true, type: String })
  target_id: string | null;

  @ApiProperty({ nullable: true, type: String, example: '198.51.100.7', description: 'The client’s IP address' })
  address: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The request’s x-request-id' })
  request_id: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Facts about the event; never secrets' })
  details: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first' })
  items: AuditEventDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
