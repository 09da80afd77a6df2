import { SourceReport, SubscriptionFilters } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';

/** A subscription as the matcher needs it: its filters (an empty list or null means "no filter on this"). */
export interface SubscriptionRule extends SubscriptionFilters {
  id: string;
  organisationId: string;
}

/** The report an indicator came from, as far as matching and TLP are concerned. */
export type WarningReport = Pick<
  SourceReport,
  'id' | 'organisationId' | 'classification' | 'severity' | 'tlp' | 'tlpRecipients' | 'countries' | 'sectors'
>;

/** One new or updated indicator to match against every subscription. */
export interface WarningCandidate {
  indicatorId: string;
  type: IndicatorType;
  value: string;
  /** The report's own confidence in the value. */
  confidence: number | null;
  /** How many organisations `organisationId` may see report the value (libs/sharing decides which statements). */
  orgCountFor(organisationId: string): number;
  /** The indicator's score (docs/indicators.md); null when not yet known. */
  score: number | null;
  report: WarningReport;
}

/**
 * An imported indicator whose pattern cannot be reduced to values: matched by the report's filters and by the types
 * its pattern compares (empty for Sigma, YARA, Snort, Suricata), never by a constituency.
 */
export interface PatternCandidate {
  indicatorId: string;
  /** The Vigia types the pattern compares; a subscription's type filter must name one of them. */
  types: readonly IndicatorType[];
  confidence: number | null;
  report: WarningReport;
}
