import { SubscriptionFilters } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';

/** A subscription as the matcher needs it: its filters (an empty list or null means "no filter on this"). */
export interface SubscriptionRule extends SubscriptionFilters {
  id: string;
  organisationId: string;
}

/** The report an indicator came from, as far as matching and TLP are concerned. */
export interface WarningReport {
  id: string;
  organisationId: string;
  classification: string;
  severity: string;
  tlp: string;
  tlpRecipients: string[];
  countries: string[];
  sectors: string[];
}

/** One new or updated indicator to match against every subscription. */
export interface WarningCandidate {
  indicatorId: string;
  type: IndicatorType;
  value: string;
  confidence: number | null;
  orgCount: number;
  report: WarningReport;
}
