import { ApiKeyEntity } from './api-key.entity';
import { ApplicationEndorsementEntity, ApplicationEntity, ApplicationEventEntity } from './application.entity';
import { AuditEventEntity } from './audit-event.entity';
import { ConstituencyWarningSettingsEntity } from './constituency-warning-settings.entity';
import {
  DirectoryAsnEntity,
  DirectoryContactConfirmationEntity,
  DirectoryContactEntity,
  DirectoryDomainEntity,
  DirectoryEntryEntity,
  DirectoryNetworkEntity,
  DirectoryReachabilityCheckEntity,
} from './directory.entity';
import { EmailChannelWarningEntity, SubscriptionEmailChannelEntity } from './email-channel.entity';
import { IncidentReportEntity } from './incident-report.entity';
import { InvitationEntity } from './invitation.entity';
import { MailEntity } from './mail.entity';
import { IndicatorCorrelationEntity } from './indicator-correlation.entity';
import { IndicatorSearchEntity } from './indicator-search.entity';
import { OrganisationEntity } from './organisation.entity';
import { NormalisationClaimEntity } from './normalisation-claim.entity';
import { OutboxJobEntity } from './outbox-job.entity';
import { ReportIndicatorBatchEntity, ReportIndicatorEntity } from './report-indicator.entity';
import { ReportPayloadChunkEntity, ReportPayloadEntity } from './report-payload.entity';
import { StixObjectEntity } from './stix-object.entity';
import { SubscriptionEntity } from './subscription.entity';
import { TaxiiStatusEntity } from './taxii-status.entity';
import { UserEntity } from './user.entity';
import { RefreshTokenEntity, UserSessionEntity } from './user-session.entity';
import { UserRecoveryCodeEntity, UserTotpEntity } from './user-totp.entity';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export * from './api-key.entity';
export * from './application.entity';
export * from './audit-event.entity';
export * from './constituency-warning-settings.entity';
export * from './directory.entity';
export * from './email-channel.entity';
export * from './incident-report.entity';
export * from './indicator-correlation.entity';
export * from './indicator-search.entity';
export * from './indicator-search.rows';
export * from './invitation.entity';
export * from './mail.entity';
export * from './normalisation-claim.entity';
export * from './organisation.entity';
export * from './outbox-job.entity';
export * from './report-indicator.entity';
export * from './report-payload.entity';
export * from './stix-object.entity';
export * from './subscription.entity';
export * from './taxii-status.entity';
export * from './taxii.rows';
export * from './user.entity';
export * from './user-session.entity';
export * from './user-totp.entity';
export * from './webhook-delivery.entity';
export * from './webhook-endpoint.entity';
export * from './application.rows';
export * from './audit-event.rows';
export * from './constituency-warning.rows';
export * from './directory.rows';
export * from './email-channel.rows';
export * from './incident-report.rows';
export * from './mail.rows';
export * from './organisation.rows';
export * from './pgp-key.rows';
export * from './stix-object.rows';
export * from './subscription.rows';
export * from './webhook-delivery.rows';

/** Every entity, for the data source; add new ones here. */
export const ENTITIES = [
  OrganisationEntity,
  UserEntity,
  ApiKeyEntity,
  IncidentReportEntity,
  ReportPayloadEntity,
  ReportPayloadChunkEntity,
  ReportIndicatorBatchEntity,
  ReportIndicatorEntity,
  StixObjectEntity,
  IndicatorCorrelationEntity,
  SubscriptionEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  NormalisationClaimEntity,
  OutboxJobEntity,
  InvitationEntity,
  AuditEventEntity,
  UserSessionEntity,
  RefreshTokenEntity,
  UserTotpEntity,
  UserRecoveryCodeEntity,
  MailEntity,
  DirectoryEntryEntity,
  DirectoryContactEntity,
  DirectoryNetworkEntity,
  DirectoryAsnEntity,
  DirectoryDomainEntity,
  DirectoryReachabilityCheckEntity,
  DirectoryContactConfirmationEntity,
  ConstituencyWarningSettingsEntity,
  ApplicationEntity,
  ApplicationEventEntity,
  ApplicationEndorsementEntity,
  SubscriptionEmailChannelEntity,
  EmailChannelWarningEntity,
  TaxiiStatusEntity,
  IndicatorSearchEntity,
];
