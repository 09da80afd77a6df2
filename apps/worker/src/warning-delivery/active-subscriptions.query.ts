import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IndicatorType, Severity } from '@vigia/indicators';
import { DataSource } from 'typeorm';

/** A subscription's filters; an empty list or null means "any". */
export interface SubscriptionFilters {
  indicatorTypes: IndicatorType[];
  /** RSIT classifications. */
  classifications: string[];
  minSeverity: Severity | null;
  minConfidence: number | null;
  /** ISO 3166-1 alpha-2, upper case. */
  countries: string[];
  sectors: string[];
  minOrgCount: number | null;
  constituency: {
    /** Canonical CIDR text (`198.51.100.0/24`, `2001:db8::/32`; single addresses as /32 or /128). */
    cidrs: string[];
    asns: number[];
    /** Normalised suffixes: `gub.uy` matches `gub.uy` and `x.gub.uy`. */
    domains: string[];
  };
  includeOwnReports: boolean;
}

/** An active subscription of an active organisation, with where its warnings go. */
export interface ActiveSubscription {
  id: string;
  organisationId: string;
  name: string;
  filters: SubscriptionFilters;
  channels: {
    /** Warnings go to the organisation's live stream. */
    stream: boolean;
    /** Endpoints that are not disabled; give them to `WebhookDeliveryScheduler.schedule`. */
    webhookEndpointIds: string[];
  };
}

interface Row {
  id: string;
  organisation_id: string;
  name: string;
  indicator_types: IndicatorType[];
  classifications: string[];
  min_severity: Severity | null;
  min_confidence: number | null;
  countries: string[];
  sectors: string[];
  min_org_count: number | null;
  constituency_cidrs: string[];
  constituency_asns: string[];
  constituency_domains: string[];
  include_own_reports: boolean;
  stream: boolean;
  webhook_endpoint_ids: string[];
}

/** Every active subscription with its filters and channels, in one query, for the matcher. */
@Injectable()
export class ActiveSubscriptionsQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(): Promise<ActiveSubscription[]> {
    const rows = (await this.dataSource.query(
      `SELECT s.id, s.organisation_id, s.name, s.indicator_types, s.classifications, s.min_severity,
              s.min_confidence, s.countries, s.sectors, s.min_org_count, s.constituency_cidrs::text[],
              s.constituency_asns, s.constituency_domains, s.include_own_reports, s.stream,
              array_remove(array_agg(e.id ORDER BY e.created_at), NULL) AS webhook_endpoint_ids
         FROM subscriptions s
         JOIN organisations o ON o.id = s.organisation_id AND o.status = 'active'
         LEFT JOIN webhook_endpoints e ON e.subscription_id = s.id AND e.disabled_at IS NULL
        WHERE s.active
        GROUP BY s.id
        ORDER BY s.created_at`,
    )) as Row[];
    return rows.map(toActiveSubscription);
  }
}

const toActiveSubscription = (row: Row): ActiveSubscription => ({
  id: row.id,
  organisationId: row.organisation_id,
  name: row.name,
  filters: {
    indicatorTypes: row.indicator_types,
    classifications: row.classifications,
    minSeverity: row.min_severity,
    minConfidence: row.min_confidence,
    countries: row.countries,
    sectors: row.sectors,
    minOrgCount: row.min_org_count,
    constituency: {
      cidrs: row.constituency_cidrs,
      asns: row.constituency_asns.map(Number),
      domains: row.constituency_domains,
    },
    includeOwnReports: row.include_own_reports,
  },
  channels: { stream: row.stream, webhookEndpointIds: row.webhook_endpoint_ids },
});
