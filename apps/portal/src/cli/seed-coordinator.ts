// Seeds the network coordinator (organisation + account). Prints a generated password once; safe to re-run.
import 'reflect-metadata';
import { generatePassword, hashPassword } from '@vigia/auth';
import { loadConfigOrExit } from '@vigia/config';
import { OrganisationRepository, UserRepository, UserRole, connectDatabase } from '@vigia/database';

export async function seedCoordinator(
  { users, organisations }: { users: UserRepository; organisations: OrganisationRepository },
  account: { email: string; password?: string },
): Promise<{ created: boolean; email: string; password?: string }> {
  const email = account.email.trim().toLowerCase();
  if (await users.findByEmail(email)) return { created: false, email };
  const organisation = await organisations.findOrCreateCoordinator('Network Coordination', 'coordination');
  const password = account.password ?? generatePassword();
  await users.create({
    organisationId: organisation.id,
    email,
    displayName: 'Network coordinator',
    passwordHash: await hashPassword(password),
    role: UserRole.Coordinator,
  });
  return { created: true, email, password: account.password ? undefined : password };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dataSource = await connectDatabase(config.database);
  try {
    const repositories = {
      users: new UserRepository(dataSource),
      organisations: new OrganisationRepository(dataSource),
    };
    const result = await seedCoordinator(repositories, config.coordinator);
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
