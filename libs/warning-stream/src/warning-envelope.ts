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

/** One matching indicator. */
export interface WarningIndicator {
  stix_id: string;
  type: string;
  value: string;
  confidence: number | null;
  /** How many organisations have reported it. */
  org_count: number;
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
  report: WarningReport;
  indicators: WarningIndicator[];
  /** STIX 2.1: the indicators, sightings, a report summary and the TLP markings. */
  bundle: Bundle;
}
