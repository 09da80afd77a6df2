import { NewOrganisation, OrganisationEntity, OrganisationKind, OrganisationStatus } from '@vigia/database';
import { CreateOrganisationDto, OrganisationDto, OrganisationSummaryDto } from './dto/organisation.dto';

/** Who an organisation is, from its entity or any row that carries these fields (a directory entry's). */
export const toOrganisationSummaryDto = (
  organisation: Pick<OrganisationEntity, 'id' | 'name' | 'shortName' | 'kind' | 'countryCode' | 'sector'>,
): OrganisationSummaryDto => ({
  id: organisation.id,
  name: organisation.name,
  short_name: organisation.shortName,
  kind: organisation.kind,
  country: organisation.countryCode,
  sector: organisation.sector,
});

export const toOrganisationDto = (organisation: OrganisationEntity): OrganisationDto => ({
  ...toOrganisationSummaryDto(organisation),
  status: organisation.status,
  status_reason: organisation.statusReason,
  status_changed_at: organisation.statusChangedAt?.toISOString() ?? null,
  created_at: organisation.createdAt.toISOString(),
  updated_at: organisation.updatedAt.toISOString(),
});

/** The organisation a creation request (API or operator CLI) stores: a national CSIRT unless told, active at once. */
export const newOrganisationOf = (dto: CreateOrganisationDto): NewOrganisation => ({
  name: dto.name,
  shortName: dto.short_name,
  kind: dto.kind ?? OrganisationKind.NationalCsirt,
  countryCode: dto.country,
  sector: dto.sector ?? null,
  status: OrganisationStatus.Active,
});
