import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { QueryInteger } from '@vigia/common';
import { WebhookDeliveryStatus } from '@vigia/database';

const STATUSES = Object.values(WebhookDeliveryStatus);

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, example: 'dead' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: WebhookDeliveryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @QueryInteger(1, 100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class DeliveryAttemptDto {
  @ApiProperty()
  attempt: number;

  @ApiProperty({ nullable: true, type: Number })
  status_code: number | null;

  @ApiProperty()
  latency_ms: number;

  @ApiProperty({ nullable: true, type: String })
  error: string | null;

  @ApiProperty()
  attempted_at: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  endpoint_id: string;

  @ApiProperty({ example: 'wrn_0b9f0a34-7c2e-4c55-9d0e-3b1f7c1c2a10', description: 'test_… for a test delivery' })
  warning_id: string;

  @ApiProperty({ example: 'indicator.warning', description: '`webhook.test` for a test delivery' })
  event_type: string;

  @ApiProperty({ description: 'A test delivery its owner asked for, not a warning' })
  test: boolean;

  @ApiProperty({ enum: STATUSES })
  status: WebhookDeliveryStatus;

  @ApiProperty({ description: 'Attempts since scheduled or last replayed' })
  attempt_count: number;

  @ApiProperty({ nullable: true, type: Number })
  last_status_code: number | null;

  @ApiProperty({ nullable: true, type: String })
  last_error: string | null;

  @ApiProperty({ nullable: true, type: String })
  next_attempt_at: string | null;

  @ApiProperty()
  created_at: string;

  @ApiProperty({ nullable: true, type: String })
  delivered_at: string | null;

  @ApiProperty({ nullable: true, type: String })
  dead_at: string | null;

  @ApiProperty({ type: [DeliveryAttemptDto], description: 'Every attempt, oldest first' })
  attempts: DeliveryAttemptDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto], description: 'Newest first' })
  items: DeliveryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' })
  next_cursor: string | null;
}
