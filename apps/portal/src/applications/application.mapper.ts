import {
  ApplicationContact,
  ApplicationEndorsementRow,
  ApplicationEventRow,
  ApplicationRow,
  DirectoryEntryInput,
  NewOrganisation,
  OrganisationStatus,
  StoredPgpKey,
} from '@vigia/database';
import { PgpKeyInfo } from '@vigia/pgp';
import {
  ApplicantViewDto,
  ApplicationDto,
  ApplicationEndorsementDto,
  ApplicationEventDto,
  ApplicationSummaryDto,
} from './dto/application-answers.dto';
import { ApplicationContactDto, SubmitApplicationDto } from './dto/application-input.dto';
import { ContactDetailsDto } from '../directory/dto/directory-answers.dto';
import { toPgpKeySummaryDto } from '../directory/directory.mapper';
import { reviewClock } from './review-clock';

/** What the summary needs besides the row: the settings it is measured against. */
export interface ReviewSettings {
  targetWorkingDays: number;
  endorsementsRequired: number;
  now?: Date;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export const toApplicationSummaryDto = (row: ApplicationRow, settings: ReviewSettings): ApplicationSummaryDto => {
  const clock = row.verifiedAt
    ? reviewClock({ ...row, verifiedAt: row.verifiedAt }, settings.targetWorkingDays, settings.now)
    : null;
  return {
    id: row.id,
    status: row.status,
    team_name: row.teamName,
    kind: row.kind,
    country: row.countryCode,
    sector: row.sector,
    website: row.website,
    mandate: row.mandate,
    constituency: {
      cidrs: row.constituency.cidrs,
      asns: row.constituency.asns,
      domains: row.constituency.domains,
    },
    endorsements: { count: row.endorsementCount, required: settings.endorsementsRequired },
    clock: clock && {
      started_at: clock.startedAt.toISOString(),
      target_working_days: clock.targetWorkingDays,
      elapsed_working_days: clock.elapsedWorkingDays,
      waiting_working_days: clock.waitingWorkingDays,
      due_at: clock.dueAt.toISOString(),
      paused: clock.paused,
      overdue: clock.overdue,
      stopped_at: iso(clock.stoppedAt),
    },
    organisation_id: row.organisationId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
};

const toContactAnswer = (contact: ApplicationContact): ContactDetailsDto => ({
  name: contact.name,
  role: contact.role,
  email: contact.email,
  phone: contact.phone,
  time_zone: contact.timeZone,
  languages: contact.languages,
  hours: contact.hours,
  pgp_key: toPgpKeySummaryDto(contact.pgpKey?.fingerprint ?? null, contact.pgpKey?.expiresAt ?? null),
});

export const toEndorsementDto = (row: ApplicationEndorsementRow): ApplicationEndorsementDto => ({
  id: row.id,
  organisation_id: row.organisationId,
  organisation_name: row.organisationName,
  endorser_user_id: row.endorserUserId,
  external_endorser: row.externalEndorser,
  comment: row.comment,
  created_at: row.createdAt.toISOString(),
});

export const toEventDto = (row: ApplicationEventRow): ApplicationEventDto => ({
  id: row.id,
  occurred_at: row.occurredAt.toISOString(),
  kind: row.kind,
  from_status: row.fromStatus,
  to_status: row.toStatus,
  actor_user_id: row.actorUserId,
  actor_organisation_id: row.actorOrganisationId,
  by_applicant: row.byApplicant,
  text: row.text,
});

/** The coordinator's view: everything, with the history and the endorsements. */
export const toApplicationDto = (
  row: ApplicationRow,
  events: ApplicationEventRow[],
  endorsements: ApplicationEndorsementRow[],
  settings: ReviewSettings,
): ApplicationDto => ({
  ...toApplicationSummaryDto(row, settings),
  applicant_name: row.applicantName,
  applicant_email: row.applicantEmail,
  preferred_language: row.locale,
  contacts: row.contacts.map(toContactAnswer),
  endorsement_list: endorsements.map(toEndorsementDto),
  events: events.map(toEventDto),
});

export const toApplicantViewDto = (row: ApplicationRow, question: string | null): ApplicantViewDto => ({
  id: row.id,
  team_name: row.teamName,
  status: row.status,
  question,
  created_at: row.createdAt.toISOString(),
});

/** A proposed contact as stored, with its parsed key (`keyInfo`, when it sent one). */
export const toApplicationContact = (dto: ApplicationContactDto, keyInfo: PgpKeyInfo | null): ApplicationContact => ({
  name: dto.name,
  role: dto.role,
  email: dto.email.toLowerCase(),
  phone: dto.phone,
  timeZone: dto.time_zone,
  languages: [...new Set(dto.languages)],
  hours: dto.hours,
  pgpKey:
    dto.pgp_key && keyInfo
      ? { armored: dto.pgp_key.trim(), fingerprint: keyInfo.fingerprint, expiresAt: iso(keyInfo.expiresAt) }
      : null,
});

export const constituencyOf = (dto: SubmitApplicationDto): ApplicationRow['constituency'] => ({
  cidrs: [...new Set(dto.constituency.cidrs ?? [])],
  asns: [...new Set(dto.constituency.asns ?? [])],
  domains: [...new Set(dto.constituency.domains ?? [])],
});

const toDirectoryKey = (key: StoredPgpKey | null) =>
  key
    ? { armored: key.armored, fingerprint: key.fingerprint, expiresAt: key.expiresAt ? new Date(key.expiresAt) : null }
    : null;

/** The new organisation's directory entry, from what it applied with. */
export const toDirectoryEntry = (row: ApplicationRow): DirectoryEntryInput => ({
  profile: { website: row.website, mandate: row.mandate, description: null },
  contacts: row.contacts.map((contact) => ({
    name: contact.name,
    role: contact.role,
    email: contact.email,
    phone: contact.phone,
    pgpKey: toDirectoryKey(contact.pgpKey),
    timeZone: contact.timeZone,
    languages: contact.languages,
    hours: contact.hours,
  })),
  constituency: row.constituency,
});

/** The organisation approval creates: active at once. */
export const toNewOrganisation = (row: ApplicationRow, shortName: string): NewOrganisation => ({
  name: row.teamName,
  shortName,
  kind: row.kind,
  countryCode: row.countryCode,
  sector: row.sector,
  status: OrganisationStatus.Active,
});

/** A short name from the team's name (`CERT Ñandú` → `cert-nandu`); the coordinator may give another. */
export function shortNameOf(teamName: string, countryCode: string): string {
  const slug = teamName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : `csirt-${countryCode.toLowerCase()}`;
}
