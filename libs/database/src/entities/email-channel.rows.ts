import { EmailChannelMode } from './email-channel.entity';
import { QueuedMail } from './mail.rows';
import { CheckedPgpKey } from './pgp-key.rows';

/** An e-mail channel as a subscription is saved with it; the key already checked (fingerprint and expiry read). */
export interface EmailChannelInput {
  address: string;
  locale: string;
  mode: EmailChannelMode;
  /**
   * The key mail is encrypted to; null: mail in clear. Left out (undefined): on an update the stored channel of this
   * address keeps its key (none for a new channel), since the API never shows a key back for a client to send again.
   */
  pgpKey?: CheckedPgpKey | null;
}

/** An e-mail channel of an active subscription, as the fan-out needs it. */
export interface EmailChannelTarget {
  id: string;
  address: string;
  locale: string;
  mode: EmailChannelMode;
  pgpPublicKey: string | null;
}

/** The report's sharing scope, kept with a warning for an e-mail channel (checked again before a digest). */
export interface EmailWarningScope {
  tlp: string;
  audienceOwner: string;
  tlpRecipients: string[];
}

/** A warning for an immediate e-mail channel: recorded with the mail that carries it, unless recorded before. */
export interface ImmediateEmailWarning extends EmailWarningScope {
  channelId: string;
  warningId: string;
  reportId: string;
  mail: QueuedMail;
}

/** A warning for a digest channel: kept, with what the mail will say (`content`), until `dueAt`. */
export interface DigestEmailWarning extends EmailWarningScope {
  channelId: string;
  warningId: string;
  reportId: string;
  content: object;
  dueAt: Date;
}

/** A digest channel's warnings whose period ended, oldest first, with where and how to mail them. */
export interface DueDigest {
  channel: EmailChannelTarget & { subscriptionId: string; subscriptionName: string; organisationId: string };
  /** Whether the channel's organisation is active, and its subscription active and accepting TLP:RED, now. */
  organisationActive: boolean;
  subscriptionActive: boolean;
  acceptsRed: boolean;
  warnings: { id: string; warningId: string; content: object; scope: EmailWarningScope }[];
}

/** What the digest job decided for one due channel: the mail (if any) and which warnings it carries or drops. */
export interface DigestOutcome {
  mail: QueuedMail | null;
  mailed: string[];
  dropped: string[];
}
