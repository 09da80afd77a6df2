import { TlpLevel } from '@vigia/indicators';
import { WarningReport } from './subscription-rule';

/**
 * May `organisationId` receive warnings from this report? TLP:CLEAR, GREEN and AMBER reports go to the network's
 * members (the network is the community / the recipients the reporter shared with). AMBER+STRICT and RED go only
 * to the organisations the reporter listed as recipients: AMBER+STRICT limits sharing to the recipient
 * organisation itself, so without a list nobody else may receive it. The reporter's own reports reach it only
 * when its subscription asks for them (`includeOwnReports`, checked by the caller).
 */
export function mayReceive(report: WarningReport, organisationId: string): boolean {
  if (organisationId === report.organisationId) return true;
  switch (report.tlp as TlpLevel) {
    case TlpLevel.Clear:
    case TlpLevel.Green:
    case TlpLevel.Amber:
      return true;
    case TlpLevel.AmberStrict:
    case TlpLevel.Red:
      return report.tlpRecipients.includes(organisationId);
    default:
      return false; // an unknown marking is never shared
  }
}
