import { Inject, Injectable } from '@nestjs/common';
import { REDIS_CLIENT } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { subscriptionsVersionKey } from '@vigia/warning-stream';
import Redis from 'ioredis';
import {
  ActiveSubscription,
  ConstituencyWarningRepository,
  ConstituencyWarningTarget,
  DirectoryRepository,
  OrganisationConstituency,
  SubscriptionRepository,
} from '@vigia/database';
import { SubscriptionIndex } from './matching/subscription-index';
import { SubscriptionRule } from './matching/subscription-rule';

/** Rebuilt at the latest this often even if no change was announced (a missed announcement heals itself). */
const MAX_AGE_MS = 30_000;

/** The id of a member's constituency rule, which no subscription id (a UUID) can be. */
export const constituencyRuleId = (organisationId: string): string => `constituency:${organisationId}`;

/** Where a member's constituency warnings go. */
export interface ConstituencyTarget {
  /** The rule's id in the index (`constituencyRuleId`). */
  id: string;
  organisationId: string;
  channels: {
    stream: boolean;
    /** Its webhook endpoints (one per URL, of its active subscriptions), when the webhook channel is on. */
    webhookEndpointIds: string[];
    /** Mail to its 24/7 contacts in the directory. */
    contacts: boolean;
  };
}

export interface IndexedSubscriptions {
  index: SubscriptionIndex;
  /** The subscriptions, by id. */
  byId: ReadonlyMap<string, ActiveSubscription>;
  /** The constituency rules, by rule id. */
  constituencyById: ReadonlyMap<string, ConstituencyTarget>;
}

/**
 * The subscription index, rebuilt only when the portal announces a change (it increments a version key in
 * Redis) or when it is older than `MAX_AGE_MS`: one GET per fan-out instead of loading every subscription.
 *
 * Besides the subscriptions it indexes one constituency rule per active member whose directory entry declares a
 * constituency and whose constituency warnings are on: a subscription to its own networks, AS numbers and domains,
 * built from the directory and its settings, that goes through the same matching (and sharing rule) and delivery.
 */
@Injectable()
export class SubscriptionIndexCache {
  private cached?: { version: string | null; builtAt: number; value: IndexedSubscriptions };
  private building?: Promise<IndexedSubscriptions>;

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly directory: DirectoryRepository,
    private readonly constituencyWarnings: ConstituencyWarningRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async current(): Promise<IndexedSubscriptions> {
    const version = await this.redis.get(subscriptionsVersionKey(this.config.redis.prefix));
    const cached = this.cached;
    if (cached && cached.version === version && Date.now() - cached.builtAt < MAX_AGE_MS) return cached.value;
    // Concurrent fan-outs share one rebuild.
    this.building ??= this.build(version).finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(version: string | null): Promise<IndexedSubscriptions> {
    const [active, constituencies] = await Promise.all([
      this.subscriptions.findActive(),
      this.directory.findAllConstituencies(),
    ]);
    const targets = await this.constituencyWarnings.findTargets(constituencies.map((c) => c.organisationId));
    const constituencyRules = constituencyRulesOf(constituencies, targets);
    const value = {
      index: new SubscriptionIndex([...active.map(toRule), ...constituencyRules.map(({ rule }) => rule)]),
      byId: new Map(active.map((s) => [s.id, s])),
      constituencyById: new Map(constituencyRules.map(({ target }) => [target.id, target])),
    };
    this.cached = { version, builtAt: Date.now(), value };
    return value;
  }
}

export const toRule = ({ id, organisationId, filters }: ActiveSubscription): SubscriptionRule => ({
  id,
  organisationId,
  ...filters,
});

/**
 * One rule per member that wants constituency warnings on at least one channel: its directory constituency, its
 * minimum severity and RED choice, never its own reports; every other filter open.
 */
export function constituencyRulesOf(
  constituencies: readonly OrganisationConstituency[],
  targets: readonly ConstituencyWarningTarget[],
): { rule: SubscriptionRule; target: ConstituencyTarget }[] {
  const targetOf = new Map(targets.map((target) => [target.organisationId, target]));
  return constituencies.flatMap(({ organisationId, constituency }) => {
    const found = targetOf.get(organisationId);
    if (!found?.settings.enabled) return [];
    const { settings, webhookEndpointIds } = found;
    const channels = { stream: settings.channels.stream, webhookEndpointIds, contacts: settings.channels.email };
    if (!channels.stream && !channels.contacts && webhookEndpointIds.length === 0) return [];
    const id = constituencyRuleId(organisationId);
    const rule: SubscriptionRule = {
      id,
      organisationId,
      indicatorTypes: [],
      classifications: [],
      minSeverity: settings.minSeverity,
      minConfidence: null,
      countries: [],
      sectors: [],
      minOrgCount: null,
      minScore: null,
      constituency,
      includeOwnReports: false,
      acceptsRed: settings.acceptsRed,
    };
    return [{ rule, target: { id, organisationId, channels } }];
  });
}
