import { TlpLevel, TlpScope, tlpRank } from '@vigia/indicators';

export type { TlpScope };

/**
 * The scope of an object built from two statements (an earlier version and a new report): the more restrictive
 * level wins, and for two TLP:RED statements only the recipients both named, so nothing is ever shared wider than
 * one of its sources allowed.
 */
export function stricterTlp(current: TlpScope, next: TlpScope): TlpScope {
  const currentRank = tlpRank(current.tlp);
  const nextRank = tlpRank(next.tlp);
  if (currentRank !== nextRank) return currentRank > nextRank ? current : next;
  if (current.tlp !== TlpLevel.Red) return current;
  const named = new Set(next.recipients);
  return { tlp: TlpLevel.Red, recipients: current.recipients.filter((recipient) => named.has(recipient)) };
}
