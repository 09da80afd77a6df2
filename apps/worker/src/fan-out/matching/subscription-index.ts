import { IndicatorType, severityRank } from '@vigia/indicators';
import { PrefixTrie, parsePrefix } from './prefix-trie';
import { PatternCandidate, SubscriptionRule, WarningCandidate } from './subscription-rule';
import { mayReceive, storedScope } from '@vigia/sharing';

const ANY_TYPE = '*';

/** The host of a URL or e-mail address, where constituency matching looks. */
function hostOf(candidate: WarningCandidate): string | undefined {
  if (candidate.type === IndicatorType.Email) return candidate.value.slice(candidate.value.lastIndexOf('@') + 1);
  if (candidate.type !== IndicatorType.Url) return undefined;
  try {
    return new URL(candidate.value).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * All active subscriptions, indexed so one indicator is tested only against those that could match it:
 * subscriptions without a constituency by indicator type, the others through a prefix trie of their CIDRs,
 * a map of their ASNs and a map of their domain suffixes. The remaining filters and TLP are checked on that
 * short list only. Built once per subscription change, read by every fan-out.
 */
export class SubscriptionIndex {
  private readonly byType = new Map<string, SubscriptionRule[]>();
  /** Subscriptions without a constituency: the ones an indicator no value stands for may match. */
  private readonly withoutConstituency: SubscriptionRule[] = [];
  private readonly prefixes = new PrefixTrie<SubscriptionRule>();
  private readonly asns = new Map<number, SubscriptionRule[]>();
  private readonly domains = new Map<string, SubscriptionRule[]>();
  private hasPrefixes = false;

  constructor(readonly rules: readonly SubscriptionRule[]) {
    for (const rule of rules) {
      const constituency = rule.constituency;
      if (!constituency || constituency.cidrs.length + constituency.asns.length + constituency.domains.length === 0) {
        for (const type of rule.indicatorTypes?.length ? rule.indicatorTypes : [ANY_TYPE])
          push(this.byType, type, rule);
        this.withoutConstituency.push(rule);
        continue;
      }
      for (const cidr of constituency.cidrs) {
        const prefix = parsePrefix(cidr);
        if (!prefix) continue;
        this.prefixes.insert(prefix, rule);
        this.hasPrefixes = true;
      }
      for (const asn of constituency.asns) push(this.asns, asn, rule);
      for (const domain of constituency.domains) push(this.domains, domain.toLowerCase(), rule);
    }
  }

  /** No active subscription: nothing can match. */
  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** The subscriptions that want this indicator and whose organisation may see it. */
  match(candidate: WarningCandidate): SubscriptionRule[] {
    const matched = new Set<SubscriptionRule>();
    for (const rule of this.byType.get(candidate.type) ?? []) matched.add(rule);
    for (const rule of this.byType.get(ANY_TYPE) ?? []) matched.add(rule);
    for (const rule of this.constituencyMatches(candidate)) matched.add(rule);
    return [...matched].filter((rule) => passesFilters(rule, candidate));
  }

  /**
   * The subscriptions without a constituency that want an indicator no value stands for: report filters, TLP, own
   * reports, minimum confidence, and a type filter only when the pattern compares one of its types. Its organisation
   * count is its reporter alone.
   */
  matchPattern(candidate: PatternCandidate): SubscriptionRule[] {
    return this.withoutConstituency.filter(
      (rule) =>
        (!rule.indicatorTypes?.length || rule.indicatorTypes.some((type) => candidate.types.includes(type))) &&
        passesReportFilters(rule, candidate.report, candidate.confidence, 1),
    );
  }

  private constituencyMatches(candidate: WarningCandidate): SubscriptionRule[] {
    switch (candidate.type) {
      case IndicatorType.Ipv4:
      case IndicatorType.Ipv6:
        return this.addressMatches(candidate.value);
      case IndicatorType.Asn:
        return this.asns.get(Number(candidate.value)) ?? [];
      case IndicatorType.Domain:
        return this.domainMatches(candidate.value);
      case IndicatorType.Url:
      case IndicatorType.Email: {
        const host = hostOf(candidate);
        if (!host) return [];
        return parsePrefix(host) ? this.addressMatches(host) : this.domainMatches(host);
      }
      default:
        return []; // hashes and CVEs have no place in a constituency
    }
  }

  private addressMatches(value: string): SubscriptionRule[] {
    if (!this.hasPrefixes) return []; // parsing an address costs more than the rest of a match
    const prefix = parsePrefix(value);
    return prefix ? this.prefixes.overlapping(prefix) : [];
  }

  /** The domain itself and each parent (`a.b.example` → `b.example` → `example`). */
  private domainMatches(domain: string): SubscriptionRule[] {
    const found: SubscriptionRule[] = [];
    for (let index = -1; index < domain.length; index = domain.indexOf('.', index + 1)) {
      found.push(...(this.domains.get(domain.slice(index + 1)) ?? []));
      if (domain.indexOf('.', index + 1) === -1) break;
    }
    return found;
  }
}

function passesFilters(rule: SubscriptionRule, candidate: WarningCandidate): boolean {
  if (rule.indicatorTypes?.length && !rule.indicatorTypes.includes(candidate.type)) return false;
  // An indicator whose score is not known yet counts as 0.
  if (rule.minScore !== null && (candidate.score ?? 0) < rule.minScore) return false;
  return passesReportFilters(rule, candidate.report, candidate.confidence, candidate.orgCountFor);
}

/** Everything but the indicator's type: the report's scope and fields, confidence and organisation count. */
function passesReportFilters(
  rule: SubscriptionRule,
  report: WarningCandidate['report'],
  confidence: number | null,
  orgCount: number | ((organisationId: string) => number),
): boolean {
  if (rule.organisationId === report.organisationId && !rule.includeOwnReports) return false;
  // Subscriptions are loaded for active organisations only.
  const viewer = { organisationId: rule.organisationId, active: true };
  if (!mayReceive(viewer, scopeOf(report), { acceptsRed: rule.acceptsRed })) return false;
  if (rule.classifications?.length && !rule.classifications.includes(report.classification)) return false;
  if (rule.minSeverity && severityRank(report.severity) < severityRank(rule.minSeverity)) return false;
  if (rule.minConfidence !== null && (confidence ?? 0) < rule.minConfidence) return false;
  if (rule.minOrgCount !== null) {
    const count = typeof orgCount === 'number' ? orgCount : orgCount(rule.organisationId);
    if (count < rule.minOrgCount) return false;
  }
  if (rule.countries?.length && !report.countries.some((country) => rule.countries?.includes(country))) return false;
  if (rule.sectors?.length && !report.sectors.some((sector) => rule.sectors?.includes(sector))) return false;
  return true;
}

const scopeOf = (report: WarningCandidate['report']) =>
  storedScope(report.organisationId, report.tlp, report.tlpRecipients);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
