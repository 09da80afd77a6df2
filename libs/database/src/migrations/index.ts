import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { StixObjects1764000000000 } from './1764000000000-stix-objects';
import { SubscriptionsAndWebhooks1764100000000 } from './1764100000000-subscriptions-and-webhooks';
import { ReportIndicatorBatches1764200000000 } from './1764200000000-report-indicator-batches';
import { OutboxJobs1764300000000 } from './1764300000000-outbox-jobs';
import { SharingAudiences1764400000000 } from './1764400000000-sharing-audiences';
import { ApiKeyScopes1764500000000 } from './1764500000000-api-key-scopes';
import { Invitations1764600000000 } from './1764600000000-invitations';
import { AuditEvents1764700000000 } from './1764700000000-audit-events';
import { UserSessions1764800000000 } from './1764800000000-user-sessions';
import { UserTotp1764900000000 } from './1764900000000-user-totp';
import { Mails1765000000000 } from './1765000000000-mails';
import { Directory1765100000000 } from './1765100000000-directory';
import { DirectoryReachability1765150000000 } from './1765150000000-directory-reachability';
import { OrganisationStatusReason1765200000000 } from './1765200000000-organisation-status-reason';
import { ConstituencyWarningSettings1765250000000 } from './1765250000000-constituency-warning-settings';
import { EmailChannels1765300000000 } from './1765300000000-email-channels';
import { Applications1765400000000 } from './1765400000000-applications';
import { ImportedStixObjects1765600000000 } from './1765600000000-imported-stix-objects';
import { VigiaReportObjectsIndex1765650000000 } from './1765650000000-vigia-report-objects-index';
import { IndicatorSearch1765700000000 } from './1765700000000-indicator-search';
import { TaxiiAddedOrder1765800000000 } from './1765800000000-taxii-added-order';
import { TaxiiStatuses1765850000000 } from './1765850000000-taxii-statuses';
import { SealedWebhookSecrets1766000000000 } from './1766000000000-sealed-webhook-secrets';
import { SealedTotpSecrets1766050000000 } from './1766050000000-sealed-totp-secrets';
import { ReportSkippedCount1766300000000 } from './1766300000000-report-skipped-count';
import { ReportsByOrganisation1766600000000 } from './1766600000000-reports-by-organisation';
import { SealedMailBodies1766700000000 } from './1766700000000-sealed-mail-bodies';
import { NormalisationClaims1766800000000 } from './1766800000000-normalisation-claims';
import { NetworkHealthIndexes1766900037000 } from './1766900037000-network-health-indexes';

/** Every migration in order; the data source runs exactly these. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  StixObjects1764000000000,
  SubscriptionsAndWebhooks1764100000000,
  ReportIndicatorBatches1764200000000,
  OutboxJobs1764300000000,
  SharingAudiences1764400000000,
  ApiKeyScopes1764500000000,
  Invitations1764600000000,
  AuditEvents1764700000000,
  UserSessions1764800000000,
  UserTotp1764900000000,
  Mails1765000000000,
  Directory1765100000000,
  DirectoryReachability1765150000000,
  OrganisationStatusReason1765200000000,
  ConstituencyWarningSettings1765250000000,
  EmailChannels1765300000000,
  Applications1765400000000,
  ImportedStixObjects1765600000000,
  VigiaReportObjectsIndex1765650000000,
  IndicatorSearch1765700000000,
  TaxiiAddedOrder1765800000000,
  TaxiiStatuses1765850000000,
  SealedWebhookSecrets1766000000000,
  SealedTotpSecrets1766050000000,
  ReportSkippedCount1766300000000,
  ReportsByOrganisation1766600000000,
  SealedMailBodies1766700000000,
  NormalisationClaims1766800000000,
  NetworkHealthIndexes1766900037000,
];
