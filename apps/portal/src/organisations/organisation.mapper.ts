import { OrganisationEntity } from '@vigia/database';
import { OrganisationDto } from './dto/organisation.dto';

export const toOrganisationDto = (organisation: OrganisationEntity): OrganisationDto => ({
  id: organisation.id,
  name: organisation.name,
  short_name: organisation.shortName,
  kind: organisation.kind,
  country: organisation.countryCode,
  sector: organisation.sector,
  status: organisation.status,
  created_at: organisation.createdAt.toISOString(),
  updated_at: organisation.updatedAt.toISOString(),
});
