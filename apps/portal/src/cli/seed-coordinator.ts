// Seeds the network coordinator (organisation + account). Prints a generated password once; safe to re-run.
import 'reflect-metadata';
import { generatePassword, hashPassword } from '@vigia/auth';
import { loadConfigOrExit } from '@vigia/config';
import {
  OrganisationEntity,
  OrganisationKind,
  OrganisationStatus,
  UserEntity,
  UserRole,
  dataSourceOptions,
} from '@vigia/database';
import { DataSource } from 'typeorm';

export async function seedCoordinator(
  dataSource: DataSource,
  account: { email: string; password?: string },
): Promise<{ created: boolean; email: string; password?: string }> {
  const email = account.email.trim().toLowerCase();
  return dataSource.transaction(async (manager) => {
    const existing = await manager.findOne(UserEntity, { where: { email } });
    if (existing) return { created: false, email };
    let organisation = await manager.findOne(OrganisationEntity, { where: { kind: OrganisationKind.Coordinator } });
    organisation ??= await manager.save(
      manager.create(OrganisationEntity, {
        name: 'Network Coordination',
        shortName: 'coordination',
        kind: OrganisationKind.Coordinator,
        status: OrganisationStatus.Active,
      }),
    );
    const password = account.password ?? generatePassword();
    await manager.save(
      manager.create(UserEntity, {
        organisationId: organisation.id,
        email,
        displayName: 'Network coordinator',
        passwordHash: await hashPassword(password),
        role: UserRole.Coordinator,
      }),
    );
    return { created: true, email, password: account.password ? undefined : password };
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    const result = await seedCoordinator(dataSource, config.coordinator);
    if (!result.created) process.stdout.write(`[vigia] coordinator ${result.email} already exists\n`);
    else if (result.password) {
      process.stdout.write(`[vigia] coordinator created: ${result.email} / password ${result.password} (shown once)\n`);
    } else process.stdout.write(`[vigia] coordinator created: ${result.email} (password from COORDINATOR_PASSWORD)\n`);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
