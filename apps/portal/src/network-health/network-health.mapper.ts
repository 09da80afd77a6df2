import {
  CorrelatedValueRow,
  DailySubmissionRow,
  DeliveryHealthRow,
  MemberCountRow,
  OrganisationStatus,
} from '@vigia/database';
import { QueueDepth } from '@vigia/queue';
import {
  CorrelatedIndicatorDto,
  DailySubmissionsDto,
  DeliveryHealthDto,
  MemberFiguresDto,
  QueueDepthDto,
} from './dto/network-health.dto';

/** Totals per status (every status), and active members per country, most first. */
export function toMemberFiguresDto(rows: readonly MemberCountRow[]): MemberFiguresDto {
  const byStatus = new Map<string, number>();
  const byCountry = new Map<string | null, number>();
  for (const row of rows) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.count);
    if (row.status === OrganisationStatus.Active) {
      byCountry.set(row.countryCode, (byCountry.get(row.countryCode) ?? 0) + row.count);
    }
  }
  return {
    total: rows.reduce((sum, row) => sum + row.count, 0),
    by_status: [...byStatus].map(([status, count]) => ({ status: status as OrganisationStatus, count })),
    by_country: [...byCountry]
      .map(([country, count]) => ({ country, count }))
      .sort((a, b) => b.count - a.count || (a.country ?? '~').localeCompare(b.country ?? '~')),
  };
}

export const toDailySubmissionsDto = (row: DailySubmissionRow): DailySubmissionsDto => ({
  day: row.day,
  organisation_id: row.organisationId,
  organisation_name: row.organisationName,
  reports: row.reports,
  indicators: row.indicators,
});

export const toCorrelatedIndicatorDto = (row: CorrelatedValueRow): CorrelatedIndicatorDto => ({
  type: row.indicatorType,
  value: row.indicatorValue,
  organisations: row.organisations,
  reports: row.reports,
  last_seen: row.lastSeen.toISOString(),
});

export function toDeliveryHealthDto(row: DeliveryHealthRow): DeliveryHealthDto {
  const finished = row.delivered + row.dead;
  return {
    organisation_id: row.organisationId,
    organisation_name: row.organisationName,
    deliveries: row.deliveries,
    delivered: row.delivered,
    dead: row.dead,
    open: row.open,
    success_rate: finished === 0 ? null : Math.round((1000 * row.delivered) / finished) / 1000,
    attempts: row.attempts,
    successful_attempts: row.successfulAttempts,
    average_latency_ms: row.averageLatencyMs,
    p95_latency_ms: row.p95LatencyMs,
  };
}

export const toQueueDepthDto = (depth: QueueDepth): QueueDepthDto => ({ ...depth });
