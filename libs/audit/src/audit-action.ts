/**
 * Every action the audit log knows, `<thing>.<what happened>`; the query's `action` filter matches by prefix
 * (`subscription.` is every subscription event). Add new ones here.
 */
export enum AuditAction {
  LoginSucceeded = 'login.succeeded',
  LoginFailed = 'login.failed',
  AccountLocked = 'account.locked',
  TotpEnabled = 'totp.enabled',
  SessionRevoked = 'session.revoked',
  UserInvited = 'user.invited',
  /** An invited person set their password: no actor, the user's organisation. */
  UserInvitationAccepted = 'user.invitation_accepted',
  UserDisabled = 'user.disabled',
  UserRoleChanged = 'user.role_changed',
  ApiKeyCreated = 'api_key.created',
  ApiKeyRevoked = 'api_key.revoked',
  OrganisationCreated = 'organisation.created',
  OrganisationStatusChanged = 'organisation.status_changed',
  /** A member's constituency warning settings: before and after. */
  ConstituencyWarningsChanged = 'constituency_warnings.changed',
  SubscriptionCreated = 'subscription.created',
  SubscriptionUpdated = 'subscription.updated',
  SubscriptionDeleted = 'subscription.deleted',
  WebhookSecretRotated = 'webhook.secret_rotated',
  WebhookEnabled = 'webhook.enabled',
  WebhookDeliveryReplayed = 'webhook_delivery.replayed',
  WebhookTestSent = 'webhook.test_sent',
  /** A read of an AMBER+STRICT or RED object. */
  ObjectRead = 'object.read',
  /** Versions of a STIX object deleted by the organisation that wrote them (TAXII): ids and counts in the details. */
  ObjectVersionsDeleted = 'object.versions_deleted',
  /** A member sighted an indicator (a STIX sighting under its own TLP). */
  IndicatorSighted = 'indicator.sighted',
  /** A member's feedback on an indicator (false positive or confirmed; a STIX opinion under its own TLP). */
  IndicatorFeedbackGiven = 'indicator.feedback_given',
  /** Objects shared with other organisations: counts in the details, never the objects. */
  ObjectsShared = 'objects.shared',
  AuditExported = 'audit.exported',
  /** Applications to join the network: recorded under the coordinating organisation until one is approved. */
  ApplicationSubmitted = 'application.submitted',
  ApplicationVerified = 'application.verified',
  /** Review started, information requested, rejected, withdrawn (details: from, to). */
  ApplicationStatusChanged = 'application.status_changed',
  ApplicationCommented = 'application.commented',
  ApplicationEndorsed = 'application.endorsed',
  /** The applicant answered an information request. */
  ApplicationAnswered = 'application.answered',
  /** Approved: recorded under the coordinating organisation and under the organisation it created. */
  ApplicationApproved = 'application.approved',
  /** An organisation's directory entry was replaced: `before` and `after` in the details. */
  DirectoryEntryUpdated = 'directory.entry_updated',
  /** The directory was exported: format and counts, never the contacts. */
  DirectoryExported = 'directory.exported',
  /** The coordinator asked every 24/7 contact to confirm it is reachable. */
  DirectoryReachabilityCheckStarted = 'directory.reachability_check_started',
  /** A 24/7 contact confirmed a reachability check by its link: no actor, the contact's organisation. */
  DirectoryContactConfirmed = 'directory.contact_confirmed',
}

/** What an event's `target_type` names. */
export enum AuditTargetType {
  User = 'user',
  Session = 'session',
  ApiKey = 'api_key',
  Organisation = 'organisation',
  Subscription = 'subscription',
  WebhookEndpoint = 'webhook_endpoint',
  WebhookDelivery = 'webhook_delivery',
  StixObject = 'stix_object',
  Report = 'report',
  Application = 'application',
  /** An organisation's directory entry (the target id is the organisation's). */
  DirectoryEntry = 'directory_entry',
  DirectoryContact = 'directory_contact',
  ReachabilityCheck = 'reachability_check',
}
