import { randomUUID } from 'node:crypto';
import type { Bundle } from '@vigia/stix';

export const WARNING_EVENT_TYPE = 'indicator.warning';
export type WarningEventType = typeof WARNING_EVENT_TYPE;

export const WARNING_ID_PREFIX = 'wrn_';

/** A new warning id: `wrn_` + a random UUID. */
export const newWarningId = (): string => `${WARNING_ID_PREFIX}${randomUUID()}`;

/** The report that set off the warning, as much of it as the recipient may see. */
export interface WarningReport {
  id: string;
  title: string;
  /** RSIT classification and type. */
  classification: string;
  type: string | null;
  severity: string;
  tlp: string;
  reporter: { id: string; name: string };
}

/**
 * One matching indicator: the report's own figures, and the network's as far as the recipient may see them (only
 * from reports shared with it).
 */
export interface WarningIndicator {
  stix_id: string;
  type: string;
  value: string;
  /** The report's confidence in the value. */
  confidence: number | null;
  /** How many organisations have reported it, among the reports the recipient may see. */
  org_count: number;
  /** When it was first and last seen, over the reports the recipient may see. */
  first_seen: string | null;
  last_seen: string | null;
  /** Until when this report's version of it stays active. */
  valid_until: string | null;
}

/**
 * An early warning for one recipient organisation: the same JSON is a webhook body, a `data:` line of the SSE
 * stream and an entry of the organisation's Redis stream.
 */
export interface WarningEnvelope {
  id: string;
  type: WarningEventType;
  created_at: string;
  /** The recipient. */
  organisation_id: string;
  /** The recipient's subscriptions that matched. */
  subscription_ids: string[];
  /**
   * Set when a matching value lies in the recipient's own constituency in the directory: it is warned whether or not
   * a subscription of its own matched (constituency warnings; absent otherwise).
   */
  constituency?: true;
  report: WarningReport;
  indicators: WarningIndicator[];
  /** STIX 2.1: the indicators, sightings, a report summary and the TLP markings. */
  bundle: Bundle;
}
