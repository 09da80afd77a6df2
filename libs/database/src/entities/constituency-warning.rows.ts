import { Severity } from '@vigia/indicators';

/** The mail log's category of constituency warning mails. */
export const CONSTITUENCY_WARNING_MAIL_CATEGORY = 'constituency-warning';

/**
 * Mail categories that carry what members shared: a suspension cancels those still queued for the organisation.
 * With the constituency warnings, the subscriptions' e-mail channels (immediate and digest).
 */
export const WARNING_MAIL_CATEGORIES: readonly string[] = [
  CONSTITUENCY_WARNING_MAIL_CATEGORY,
  'warning-immediate',
  'warning-digest',
];

/** A member's constituency warning settings (the defaults when it never changed them). */
export interface ConstituencyWarningSettings {
  enabled: boolean;
  minSeverity: Severity | null;
  channels: { stream: boolean; email: boolean; webhook: boolean };
  /** TLP:RED reports addressed to the member are wanted too (never one not addressed to it). */
  acceptsRed: boolean;
  /** Null while the defaults apply. */
  updatedAt: Date | null;
}

/** On by default: every severity, every channel; RED only when asked for, as for subscriptions. */
export const DEFAULT_CONSTITUENCY_WARNING_SETTINGS: ConstituencyWarningSettings = {
  enabled: true,
  minSeverity: null,
  channels: { stream: true, email: true, webhook: true },
  acceptsRed: false,
  updatedAt: null,
};

/** Where one active member's constituency warnings go, for the fan-out. */
export interface ConstituencyWarningTarget {
  organisationId: string;
  settings: ConstituencyWarningSettings;
  /**
   * Its webhook endpoints when the webhook channel is on: per distinct URL the oldest endpoint that is not disabled,
   * of its active subscriptions (so a URL gets one warning, logged under that endpoint's subscription).
   */
  webhookEndpointIds: string[];
}
