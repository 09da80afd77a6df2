import {
  AuditDetailValue,
  ContactReachabilityRequest,
  DirectoryContact,
  DirectoryContactCard,
  DirectoryContactInput,
  DirectoryEntry,
  CheckedPgpKey,
} from '@vigia/database';
import {
  ContactReachabilityDto,
  DirectoryCardDto,
  DirectoryContactDto,
  DirectoryEntryDto,
  ReachabilityStatus,
} from './dto/directory-answers.dto';
import { toOrganisationSummaryDto } from '../organisations/organisation.mapper';
import { DirectoryContactInputDto } from './dto/directory-input.dto';
import { PgpKeySummaryDto } from './dto/pgp-key.dto';
import { escapeText, structuredValue, VcardProperty, vcard, vcardTimestamp, parameterValue } from './vcard';

const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;

/** A registered key as answered (fingerprint and expiry, never the key); null when there is none. */
export const toPgpKeySummaryDto = (
  fingerprint: string | null,
  expiresAt: Date | string | null,
): PgpKeySummaryDto | null =>
  fingerprint ? { fingerprint, expires_at: expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt } : null;

/** The latest request's outcome; unconfirmed once its time ran out without a confirmation. */
export function toReachabilityDto(
  request: ContactReachabilityRequest | null,
  now = new Date(),
): ContactReachabilityDto {
  if (!request) return { status: ReachabilityStatus.Unchecked, requested_at: null, respond_by: null };
  let status = ReachabilityStatus.Pending;
  if (request.confirmedAt) status = ReachabilityStatus.Confirmed;
  else if (request.expiresAt.getTime() <= now.getTime()) status = ReachabilityStatus.Unconfirmed;
  return {
    status,
    requested_at: request.requestedAt.toISOString(),
    respond_by: request.expiresAt.toISOString(),
  };
}

export const toDirectoryContactDto = (contact: DirectoryContact): DirectoryContactDto => ({
  id: contact.id,
  name: contact.name,
  role: contact.role,
  email: contact.email,
  phone: contact.phone,
  pgp_key: toPgpKeySummaryDto(contact.pgpFingerprint, contact.pgpExpiresAt),
  time_zone: contact.timeZone,
  languages: contact.languages,
  hours: contact.hours,
  last_confirmed_at: isoOrNull(contact.lastConfirmedAt),
  ...(contact.latestRequest === undefined ? {} : { reachability: toReachabilityDto(contact.latestRequest) }),
});

export const toDirectoryCardDto = (entry: DirectoryContactCard): DirectoryCardDto => ({
  organisation: toOrganisationSummaryDto(entry.organisation),
  website: entry.profile.website,
  mandate: entry.profile.mandate,
  description: entry.profile.description,
  updated_at: isoOrNull(entry.updatedAt),
  contacts: entry.contacts.map(toDirectoryContactDto),
});

export const toDirectoryEntryDto = (entry: DirectoryEntry): DirectoryEntryDto => ({
  ...toDirectoryCardDto(entry),
  constituency: {
    cidrs: entry.constituency.cidrs,
    asns: entry.constituency.asns,
    domains: entry.constituency.domains,
  },
});

/**
 * A contact to store: `pgpKey` is the parsed key when one was sent, null when the editor cleared it, and left out
 * when the request did not mention it (the stored key stays).
 */
export const toDirectoryContactInput = (
  dto: DirectoryContactInputDto,
  pgpKey: CheckedPgpKey | null | undefined,
): DirectoryContactInput => ({
  name: dto.name,
  role: dto.role,
  email: dto.email,
  phone: dto.phone,
  ...(pgpKey === undefined ? {} : { pgpKey }),
  timeZone: dto.time_zone,
  languages: [...new Set(dto.languages)],
  hours: dto.hours,
});

/** What the audit log keeps of an entry, to show a change as before and after (never the armored keys). */
export function auditSnapshotOf(entry: DirectoryEntry): Record<string, AuditDetailValue> {
  return {
    website: entry.profile.website,
    mandate: entry.profile.mandate,
    description: entry.profile.description,
    contacts: entry.contacts.map((contact) => ({
      email: contact.email,
      name: contact.name,
      role: contact.role,
      phone: contact.phone,
      pgp_fingerprint: contact.pgpFingerprint,
      pgp_expires_at: isoOrNull(contact.pgpExpiresAt),
      time_zone: contact.timeZone,
      languages: contact.languages,
      hours: contact.hours,
    })),
    constituency: {
      cidrs: entry.constituency.cidrs,
      asns: entry.constituency.asns,
      domains: entry.constituency.domains,
    },
  };
}

/** The snapshot's top-level fields that differ. */
export const changedFields = (
  before: Record<string, AuditDetailValue>,
  after: Record<string, AuditDetailValue>,
): string[] => Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));

/** One vCard 4.0 per 24/7 contact of the entry; `armoredKeys` (by contact id) become KEY data URIs. */
export function toVcards(entry: DirectoryEntry, armoredKeys: ReadonlyMap<string, string>): string[] {
  return entry.contacts.map((contact) => {
    const armored = armoredKeys.get(contact.id);
    const note = [
      `Hours: ${contact.hours}`,
      ...(contact.pgpFingerprint
        ? [
            `OpenPGP fingerprint: ${contact.pgpFingerprint}` +
              (contact.pgpExpiresAt ? ` (expires ${contact.pgpExpiresAt.toISOString()})` : ''),
          ]
        : []),
    ].join('\n');
    const properties: VcardProperty[] = [
      { name: 'UID', value: `urn:uuid:${contact.id}` },
      { name: 'FN', value: escapeText(contact.name) },
      { name: 'ORG', value: structuredValue([entry.organisation.name]) },
      { name: 'ROLE', value: escapeText(contact.role) },
      { name: 'EMAIL', parameters: { TYPE: 'work' }, value: escapeText(contact.email) },
      { name: 'TEL', parameters: { VALUE: 'uri', TYPE: parameterValue('voice,work') }, value: `tel:${contact.phone}` },
      { name: 'TZ', value: escapeText(contact.timeZone) },
      ...contact.languages.map((language, index) => ({
        name: 'LANG',
        parameters: { PREF: String(index + 1) },
        value: language,
      })),
      ...(armored
        ? [
            {
              name: 'KEY',
              parameters: { MEDIATYPE: parameterValue('application/pgp-keys') },
              value: `data:application/pgp-keys;base64,${Buffer.from(armored, 'utf8').toString('base64')}`,
            },
          ]
        : []),
      ...(entry.profile.website ? [{ name: 'URL', value: entry.profile.website }] : []),
      { name: 'NOTE', value: escapeText(note) },
      ...(entry.updatedAt ? [{ name: 'REV', value: vcardTimestamp(entry.updatedAt) }] : []),
    ];
    return vcard(properties);
  });
}
