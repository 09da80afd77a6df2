import { IndicatorType } from '@vigia/indicators';

/** A subscription as the matcher needs it: `null` or empty means "no filter on this". */
export interface SubscriptionRule {
  id: string;
  organisationId: string;
  indicatorTypes: IndicatorType[] | null;
  classifications: string[] | null;
  minSeverity: string | null;
  minConfidence: number | null;
  countries: string[] | null;
  sectors: string[] | null;
  minOrgCount: number | null;
  /** The networks, ASNs and domain suffixes the CSIRT answers for; when set, only indicators inside match. */
  constituency: { cidrs: string[]; asns: number[]; domains: string[] } | null;
  includeOwnReports: boolean;
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
