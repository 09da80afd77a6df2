import { ApiProperty } from '@nestjs/swagger';
import { OrganisationStatus } from '@vigia/database';
import { QueueName } from '@vigia/queue';

export class StatusCountDto {
  @ApiProperty({ enum: OrganisationStatus })
  status: OrganisationStatus;

  @ApiProperty()
  count: number;
}

export class CountryCountDto {
  @ApiProperty({ nullable: true, type: String, example: 'UY', description: 'Null: no country recorded' })
  country: string | null;

  @ApiProperty()
  count: number;
}

export class MemberFiguresDto {
  @ApiProperty({ description: 'Member organisations (the coordinating organisation left out), every status' })
  total: number;

  @ApiProperty({ type: [StatusCountDto] })
  by_status: StatusCountDto[];

  @ApiProperty({ type: [CountryCountDto], description: 'Active members per country, most first' })
  by_country: CountryCountDto[];
}

export class DailySubmissionsDto {
  @ApiProperty({ example: '2025-12-23', description: 'UTC day' })
  day: string;

  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty()
  organisation_name: string;

  @ApiProperty({ description: 'Reports received that day' })
  reports: number;

  @ApiProperty({ description: 'Indicators those reports held' })
  indicators: number;
}

export class CorrelatedIndicatorDto {
  @ApiProperty({ example: 'domain' })
  type: string;

  @ApiProperty({ example: 'login-bank.example' })
  value: string;

  @ApiProperty({ description: 'Organisations that reported it' })
  organisations: number;

  @ApiProperty({ description: 'Reports that carried it' })
  reports: number;

  @ApiProperty({ format: 'date-time' })
  last_seen: string;
}

export class DeliveryHealthDto {
  @ApiProperty({ format: 'uuid' })
  organisation_id: string;

  @ApiProperty()
  organisation_name: string;

  @ApiProperty({ description: 'Webhook deliveries created in the period' })
  deliveries: number;

  @ApiProperty()
  delivered: number;

  @ApiProperty({ description: 'Every attempt failed (dead-lettered)' })
  dead: number;

  @ApiProperty({ description: 'Pending, or failed with another attempt due' })
  open: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 0.98,
    description: 'Delivered among the finished ones (delivered or dead), 0 to 1; null when none finished',
  })
  success_rate: number | null;

  @ApiProperty({ description: 'Attempts made in the period' })
  attempts: number;

  @ApiProperty({ description: 'Attempts the receiver answered with a 2xx' })
  successful_attempts: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Milliseconds, over the attempts' })
  average_latency_ms: number | null;

  @ApiProperty({ nullable: true, type: Number, description: '95th percentile, milliseconds' })
  p95_latency_ms: number | null;
}

export class QueueDepthDto {
  @ApiProperty({ enum: QueueName })
  queue: QueueName;

  @ApiProperty()
  waiting: number;

  @ApiProperty()
  active: number;

  @ApiProperty({ description: 'Retries and timers waiting for their time' })
  delayed: number;

  @ApiProperty({ description: 'Failed for good' })
  failed: number;
}

/** Network-operations figures for the coordinator: counts and times, never the content of reports. */
export class NetworkHealthDto {
  @ApiProperty({ format: 'date-time' })
  generated_at: string;

  @ApiProperty({ format: 'date-time', description: 'Start of the period the figures cover' })
  since: string;

  @ApiProperty({ example: 30 })
  period_days: number;

  @ApiProperty({ type: MemberFiguresDto })
  members: MemberFiguresDto;

  @ApiProperty({ type: [DailySubmissionsDto], description: 'Per organisation and UTC day, oldest first' })
  submissions: DailySubmissionsDto[];

  @ApiProperty({
    type: [CorrelatedIndicatorDto],
    description:
      'Values reported by more than one organisation, counted over the CLEAR and GREEN statements the ' +
      'coordinating organisation may see (docs/sharing.md), most organisations first',
  })
  top_correlated: CorrelatedIndicatorDto[];

  @ApiProperty({ type: [DeliveryHealthDto] })
  deliveries: DeliveryHealthDto[];

  @ApiProperty({
    type: [QueueDepthDto],
    nullable: true,
    description: 'Null when Redis did not answer in time (the other figures are still given)',
  })
  queues: QueueDepthDto[] | null;
}
