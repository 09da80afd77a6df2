import {
  StoredSubscription,
  SubscriptionEmailChannelEntity,
  SubscriptionFilterChanges,
  WebhookEndpointEntity,
  subscriptionFiltersOf,
} from '@vigia/database';
import { IndicatorType, Severity } from '@vigia/indicators';
import { toPgpKeySummaryDto } from '../directory/directory.mapper';
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

/** An e-mail channel: its address, mode, language and key's fingerprint and expiry (never the key). */
export const toEmailChannelDto = (channel: SubscriptionEmailChannelEntity): ChannelAnswerDto => ({
  type: ChannelType.Email,
  id: channel.id,
  address: channel.address,
  mode: channel.mode,
  language: channel.locale,
  pgp_key: toPgpKeySummaryDto(channel.pgpFingerprint, channel.pgpExpiresAt),
});

/** Secrets of endpoints created by this request are shown this once. */
export function toSubscriptionDto({
  subscription,
  endpoints,
  emailChannels,
  newSecrets,
}: StoredSubscription): SubscriptionDto {
  const webhooks = endpoints.map((endpoint) => toWebhookChannelDto(endpoint, newSecrets.get(endpoint.id)));
  const emails = emailChannels.map(toEmailChannelDto);
  const filters = subscriptionFiltersOf(subscription);
  return {
    id: subscription.id,
    name: subscription.name,
    active: subscription.active,
    filters: {
      indicator_types: filters.indicatorTypes,
      classifications: filters.classifications,
      min_severity: filters.minSeverity,
      min_confidence: filters.minConfidence,
      countries: filters.countries,
      sectors: filters.sectors,
      min_org_count: filters.minOrgCount,
      min_score: filters.minScore,
      constituency: filters.constituency,
      include_own_reports: filters.includeOwnReports,
      accepts_red: filters.acceptsRed,
    },
    channels: [...webhooks, ...(subscription.stream ? [{ type: ChannelType.Stream }] : []), ...emails],
    created_at: subscription.createdAt.toISOString(),
    updated_at: subscription.updatedAt.toISOString(),
  };
}

/** A list filter as given: undefined keeps the stored one, null clears it, duplicates are dropped. */
const listOf = <T>(value: T[] | null | undefined): T[] | undefined =>
  value === undefined ? undefined : [...new Set(value ?? [])];

/** The filters a request sets: only the fields it gives (an update keeps the others); null clears one. */
export function filtersOfDto(filters: SubscriptionFiltersDto | null | undefined): SubscriptionFilterChanges {
  if (!filters) return {};
  const constituency =
    filters.constituency === null ? { cidrs: null, asns: null, domains: null } : filters.constituency;
  const given: SubscriptionFilterChanges = {
    indicatorTypes: listOf(filters.indicator_types as IndicatorType[] | null | undefined),
    classifications: listOf(filters.classifications),
    minSeverity: filters.min_severity as Severity | null | undefined,
    minConfidence: filters.min_confidence,
    countries: listOf(filters.countries),
    sectors: listOf(filters.sectors),
    minOrgCount: filters.min_org_count,
    minScore: filters.min_score,
    includeOwnReports: filters.include_own_reports ?? undefined,
    acceptsRed: filters.accepts_red ?? undefined,
    constituency: {
      cidrs: listOf(constituency?.cidrs),
      asns: listOf(constituency?.asns),
      domains: listOf(constituency?.domains),
    },
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}
