import { SubscriptionEntity, WebhookEndpointEntity } from '@vigia/database';
import { ChannelAnswerDto, SubscriptionDto } from './dto/subscription-answers.dto';
import { ChannelType, SubscriptionFiltersDto } from './dto/subscription-input.dto';

const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;

/** A webhook channel; `secret` is passed only right after the endpoint was created. */
export const toWebhookChannelDto = (endpoint: WebhookEndpointEntity, secret?: string): ChannelAnswerDto => ({
  type: ChannelType.Webhook,
  id: endpoint.id,
  url: endpoint.url,
  ...(secret ? { secret } : {}),
  disabled_at: isoOrNull(endpoint.disabledAt),
  disabled_reason: endpoint.disabledReason,
});

/** `secrets` maps the ids of endpoints created by this request to their secret, shown this once. */
export function toSubscriptionDto(
  subscription: SubscriptionEntity,
  endpoints: WebhookEndpointEntity[],
  secrets: ReadonlyMap<string, string> = new Map(),
): SubscriptionDto {
  const webhooks = endpoints.map((endpoint) => toWebhookChannelDto(endpoint, secrets.get(endpoint.id)));
  return {
    id: subscription.id,
    name: subscription.name,
    active: subscription.active,
    filters: {
      indicator_types: subscription.indicatorTypes,
      classifications: subscription.classifications,
      min_severity: subscription.minSeverity,
      min_confidence: subscription.minConfidence,
      countries: subscription.countries,
      sectors: subscription.sectors,
      min_org_count: subscription.minOrgCount,
      constituency: {
        cidrs: subscription.constituencyCidrs,
        asns: subscription.constituencyAsns.map(Number),
        domains: subscription.constituencyDomains,
      },
      include_own_reports: subscription.includeOwnReports,
    },
    channels: subscription.stream ? [...webhooks, { type: ChannelType.Stream }] : webhooks,
    created_at: subscription.createdAt.toISOString(),
    updated_at: subscription.updatedAt.toISOString(),
  };
}

/** A list filter as given: undefined keeps the stored one, null clears it, duplicates are dropped. */
const listOf = <T>(value: T[] | null | undefined): T[] | undefined =>
  value === undefined ? undefined : [...new Set(value ?? [])];

/** The filter columns a request sets: only the fields it gives (an update keeps the others). */
export function filterColumns(filters: SubscriptionFiltersDto | null | undefined): Partial<SubscriptionEntity> {
  if (!filters) return {};
  const constituency =
    filters.constituency === null ? { cidrs: null, asns: null, domains: null } : filters.constituency;
  const columns: Partial<SubscriptionEntity> = {
    indicatorTypes: listOf(filters.indicator_types),
    classifications: listOf(filters.classifications),
    minSeverity: filters.min_severity,
    minConfidence: filters.min_confidence,
    countries: listOf(filters.countries),
    sectors: listOf(filters.sectors),
    minOrgCount: filters.min_org_count,
    includeOwnReports: filters.include_own_reports ?? undefined,
    constituencyCidrs: listOf(constituency?.cidrs),
    constituencyAsns: listOf(constituency?.asns)?.map(String),
    constituencyDomains: listOf(constituency?.domains),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}
