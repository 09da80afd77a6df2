import { randomBytes } from 'node:crypto';
import { ALL_SCOPES, Scope, generateApiKey } from '@vigia/auth';
import { ApiKeyEntity, OrganisationEntity, OrganisationKind, OrganisationStatus } from '@vigia/database';
import { DataSource } from 'typeorm';

export async function createOrganisation(
  dataSource: DataSource,
  overrides: Partial<OrganisationEntity> = {},
): Promise<OrganisationEntity> {
  const tag = randomBytes(3).toString('hex');
  return dataSource.getRepository(OrganisationEntity).save({
    name: `CSIRT ${tag}`,
    shortName: `csirt-${tag}`,
    kind: OrganisationKind.NationalCsirt,
    countryCode: 'UY',
    sector: 'government',
    status: OrganisationStatus.Active,
    ...overrides,
  });
}

/**
 * An organisation with a working API key (every scope unless `scopes` says otherwise); returns the key's secret for
 * the `X-Api-Key` header.
 */
export async function createOrganisationWithApiKey(
  dataSource: DataSource,
  overrides: Partial<OrganisationEntity> = {},
  scopes: readonly Scope[] = ALL_SCOPES,
): Promise<{ organisation: OrganisationEntity; apiKey: string }> {
  const organisation = await createOrganisation(dataSource, overrides);
  const key = generateApiKey();
  await dataSource.getRepository(ApiKeyEntity).save({
    organisationId: organisation.id,
    name: 'test key',
    prefix: key.prefix,
    keyHash: key.hash,
    scopes: [...scopes],
  });
  return { organisation, apiKey: key.secret };
}
