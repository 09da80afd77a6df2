import { ApplicationStatus } from './application.entity';
import { OrganisationKind } from './organisation.entity';
import { Constituency } from './subscription.rows';

/** A proposed 24/7 contact's OpenPGP key as stored (JSON: the expiry as ISO text). */
export interface StoredPgpKey {
  armored: string;
  fingerprint: string;
  /** ISO 8601; null when the key does not expire. */
  expiresAt: string | null;
}

/** A proposed 24/7 contact, validated and canonical. */
export interface ApplicationContact {
  name: string;
  role: string;
  email: string;
  /** E.164. */
  phone: string;
  /** IANA time zone. */
  timeZone: string;
  /** ISO 639-1, lower case. */
  languages: string[];
  hours: string;
  pgpKey: StoredPgpKey | null;
}

/** What the applicant sent, validated and canonical. */
export interface ApplicationDetails {
  teamName: string;
  kind: OrganisationKind;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string;
  sector: string;
  mandate: string;
  website: string;
  constituency: Constituency;
  contacts: ApplicationContact[];
  applicantName: string;
  applicantEmail: string;
  locale: string;
}

/** A new application: its details, the form it came from and its verification link (digest only). */
export interface NewApplication extends ApplicationDetails {
  formNonce: string;
  verificationTokenHash: string;
  verificationExpiresAt: Date;
}

/** A stored application. */
export interface ApplicationRow extends ApplicationDetails {
  id: string;
  status: ApplicationStatus;
  verifiedAt: Date | null;
  organisationId: string | null;
  decidedAt: Date | null;
  /** Since when the clock waits for the applicant (information requested); null when it runs. */
  clockPausedAt: Date | null;
  /** Working days spent waiting for the applicant before the current pause. */
  pausedWorkingDays: number;
  createdAt: Date;
  updatedAt: Date;
  /** Endorsements recorded so far. */
  endorsementCount: number;
}

/** What a history entry tells. */
export enum ApplicationEventKind {
  Submitted = 'submitted',
  Verified = 'verified',
  StatusChanged = 'status_changed',
  Comment = 'comment',
  Endorsed = 'endorsed',
  /** The applicant answered an information request. */
  Answered = 'answered',
}

export interface NewApplicationEvent {
  kind: ApplicationEventKind;
  fromStatus?: ApplicationStatus;
  toStatus?: ApplicationStatus;
  actorUserId?: string | null;
  actorOrganisationId?: string | null;
  byApplicant?: boolean;
  text?: string | null;
}

export interface ApplicationEventRow {
  id: string;
  occurredAt: Date;
  kind: ApplicationEventKind;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus | null;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  byApplicant: boolean;
  text: string | null;
}

export interface NewEndorsement {
  /** A member organisation's endorsement, or null for an external one. */
  organisationId: string | null;
  endorserUserId: string | null;
  externalEndorser: string | null;
  comment: string;
}

export interface ApplicationEndorsementRow {
  id: string;
  organisationId: string | null;
  organisationName: string | null;
  endorserUserId: string | null;
  externalEndorser: string | null;
  comment: string;
  createdAt: Date;
}

export interface ApplicationFilter {
  status?: ApplicationStatus;
  /** Only applications in these statuses (members see those in review). */
  statuses?: ApplicationStatus[];
  countryCode?: string;
  verified?: boolean;
  limit: number;
  offset: number;
}
