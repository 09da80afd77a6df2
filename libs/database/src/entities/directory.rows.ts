import { OrganisationKind, OrganisationStatus } from './organisation.entity';
import { CheckedPgpKey } from './pgp-key.rows';
import { Constituency } from './subscription.rows';

/** An organisation's directory profile. */
export interface DirectoryProfile {
  website: string | null;
  /** The mandate or founding reference. */
  mandate: string | null;
  description: string | null;
}

/** A 24/7 contact to write; fields already validated and canonical. */
export interface DirectoryContactInput {
  name: string;
  role: string;
  email: string;
  /** E.164. */
  phone: string;
  /**
   * The contact's public key; null: none. Left out (undefined): the key stored for this address stays (none for a new
   * contact), so editors never have to send the armored key back.
   */
  pgpKey?: CheckedPgpKey | null;
  /** IANA time zone. */
  timeZone: string;
  /** ISO 639-1 codes, lower case. */
  languages: string[];
  hours: string;
}

/** What `writeDirectoryEntry` stores for an organisation: it replaces profile, contacts and constituency. */
export interface DirectoryEntryInput {
  profile: DirectoryProfile;
  /** In the organisation's order; e-mail addresses unique (case-insensitive). */
  contacts: DirectoryContactInput[];
  /** Canonical (see `Constituency`). */
  constituency: Constituency;
}

/** A stored 24/7 contact. */
export interface DirectoryContact {
  id: string;
  name: string;
  role: string;
  email: string;
  phone: string;
  /** Fingerprint and expiry only: the armored key is read with `findPgpKeys`. */
  pgpFingerprint: string | null;
  pgpExpiresAt: Date | null;
  timeZone: string;
  languages: string[];
  hours: string;
  lastConfirmedAt: Date | null;
  /** The latest reachability request (null: never asked); left out where not read (lookups). */
  latestRequest?: ContactReachabilityRequest | null;
}

/** A reachability request to a contact: when it was asked, by when it should answer, and whether it did. */
export interface ContactReachabilityRequest {
  requestedAt: Date;
  expiresAt: Date;
  confirmedAt: Date | null;
}

/** The organisation a directory entry belongs to. */
export interface DirectoryOrganisation {
  id: string;
  name: string;
  shortName: string;
  kind: OrganisationKind;
  countryCode: string | null;
  sector: string | null;
  status: OrganisationStatus;
}

/** An organisation's whole directory entry as stored (an empty profile when it never wrote one). */
export interface DirectoryEntry {
  organisation: DirectoryOrganisation;
  profile: DirectoryProfile;
  /** Null when the organisation never wrote its entry. */
  updatedAt: Date | null;
  contacts: DirectoryContact[];
  constituency: Constituency;
}

/** Directory search; every filter optional, all apply. */
export interface DirectorySearch {
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode?: string;
  /** Case-insensitive, exact. */
  sector?: string;
  kind?: OrganisationKind;
  /** Part of the name or short name, case-insensitive. */
  name?: string;
  limit: number;
  offset: number;
}

/** A page of directory entries, by organisation name. */
export interface DirectoryPage {
  entries: DirectoryEntry[];
  total: number;
}

/** The constituency of one active organisation, for matching indicators against it (fan-out). */
export interface OrganisationConstituency {
  organisationId: string;
  constituency: Constituency;
}

/** An organisation as a lookup answers it: who it is and how to reach it (its constituency is left out). */
export type DirectoryContactCard = Omit<DirectoryEntry, 'constituency'>;

/** Who answers for a looked-up value: the most specific entry, and every organisation that holds it. */
export interface DirectoryOwners {
  /** The network, domain suffix or AS number (as text) that matched; null when nobody holds the value. */
  matched: string | null;
  /** By organisation name. */
  owners: DirectoryContactCard[];
}

/** A 24/7 contact of an active organisation, as a reachability check mails it. */
export interface ReachabilityContact {
  contactId: string;
  organisationId: string;
  organisationName: string;
  name: string;
  email: string;
  languages: string[];
  pgpPublicKey: string | null;
}

/** The confirmation asked of one contact in a check (only the SHA-256 of its link's token). */
export interface NewContactConfirmation {
  contactId: string;
  organisationId: string;
  tokenHash: string;
}

/** A contact who did not confirm a check in time (or not yet, while it runs). */
export interface UnconfirmedContact {
  contactId: string;
  organisationId: string;
  organisationName: string;
  name: string;
  email: string;
}

/** Where a reachability check stands. */
export interface ReachabilityCheckSummary {
  id: string;
  startedBy: string | null;
  startedAt: Date;
  respondBy: Date;
  asked: number;
  confirmed: number;
  /** Contacts that have not confirmed (yet), by organisation name. */
  unconfirmed: UnconfirmedContact[];
}

/** A confirmation as recorded: `firstTime` false when the link had already been used (nothing changed). */
export interface ContactConfirmation {
  checkId: string;
  contactId: string;
  organisationId: string;
  confirmedAt: Date;
  firstTime: boolean;
}

/** One of many values looked up in the directory at once (`ownersOfMany`). */
export interface LookupQuery {
  index: number;
  address?: string;
  /** A domain and its parents. */
  suffixes?: readonly string[];
  asn?: number;
}

export interface ConstituencyOwner {
  organisationId: string;
  name: string;
  matched: string;
}
