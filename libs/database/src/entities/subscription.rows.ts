import { IndicatorType, Severity } from '@vigia/indicators';
import { EmailChannelTarget } from './email-channel.rows';
import { SubscriptionEntity } from './subscription.entity';

/** The networks, ASNs and domain suffixes a CSIRT answers for; when any is set, only indicators inside match. */
export interface Constituency {
  /** Canonical CIDR text (`198.51.100.0/24`, `2001:db8::/32`; single addresses as /32 or /128). */
  cidrs: string[];
  asns: number[];
  /** Canonical suffixes: `gub.uy` matches `gub.uy` and `x.gub.uy`. */
  domains: string[];
}

/**
 * A subscription's filters, the one type the portal's DTO mapping, the stored columns and the matcher share. An
 * empty list or null means "any".
 */
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
  /** Warn only about indicators with at least this score (docs/indicators.md). */
  minScore: number | null;
  constituency: Constituency;
  includeOwnReports: boolean;
  /** TLP:RED warnings are wanted (the channels reach named people); otherwise RED never goes out. */
  acceptsRed: boolean;
}

/** Filters to change: those not given keep their stored value (a constituency part too). */
export type SubscriptionFilterChanges = Partial<Omit<SubscriptionFilters, 'constituency'>> & {
  constituency?: Partial<Constituency>;
};

/** An active subscription of an active organisation, with where its warnings go. */
export interface ActiveSubscription {
  id: string;
  organisationId: string;
  name: string;
  filters: SubscriptionFilters;
  channels: {
    /** Warnings go to the organisation's live stream. */
    stream: boolean;
    /** Endpoints that are not disabled. */
    webhookEndpointIds: string[];
    /** E-mail channels. */
    email: EmailChannelTarget[];
  };
}

/** The filters a stored subscription holds. */
export const subscriptionFiltersOf = (subscription: SubscriptionEntity): SubscriptionFilters => ({
  indicatorTypes: subscription.indicatorTypes as IndicatorType[],
  classifications: subscription.classifications,
  minSeverity: subscription.minSeverity as Severity | null,
  minConfidence: subscription.minConfidence,
  countries: subscription.countries,
  sectors: subscription.sectors,
  minOrgCount: subscription.minOrgCount,
  minScore: subscription.minScore,
  constituency: {
    cidrs: subscription.constituencyCidrs,
    asns: subscription.constituencyAsns.map(Number),
    domains: subscription.constituencyDomains,
  },
  includeOwnReports: subscription.includeOwnReports,
  acceptsRed: subscription.acceptsRed,
});

/** The columns that store these filters; only the filters given (an update keeps the others). */
export function subscriptionFilterColumns(filters: SubscriptionFilterChanges): Partial<SubscriptionEntity> {
  const columns: Partial<SubscriptionEntity> = {
    indicatorTypes: filters.indicatorTypes,
    classifications: filters.classifications,
    minSeverity: filters.minSeverity,
    minConfidence: filters.minConfidence,
    countries: filters.countries,
    sectors: filters.sectors,
    minOrgCount: filters.minOrgCount,
    minScore: filters.minScore,
    includeOwnReports: filters.includeOwnReports,
    acceptsRed: filters.acceptsRed,
    constituencyCidrs: filters.constituency?.cidrs,
    constituencyAsns: filters.constituency?.asns?.map(String),
    constituencyDomains: filters.constituency?.domains,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}
