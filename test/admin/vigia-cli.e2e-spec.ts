import { verifyPassword } from '@vigia/auth';
import { OrganisationEntity, OrganisationRepository, UserEntity, UserRepository, UserRole } from '@vigia/database';
import { CliOutput, CliRepositories, runCli } from '../../apps/portal/src/cli/vigia';
import { TestContext, createTestContext } from '../support/test-context';

// The operator CLI's commands against a real database (the process wrapper only connects and exits).
describe('operator CLI (npm run vigia)', () => {
  let context: TestContext;
  let repositories: CliRepositories;

  beforeAll(async () => {
    context = await createTestContext();
    repositories = {
      users: new UserRepository(context.dataSource),
      organisations: new OrganisationRepository(context.dataSource),
    };
  });

  afterAll(async () => {
    await context?.cleanup();
  });

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const output: CliOutput = { out: (line) => lines.push(line), err: (line) => errors.push(line) };
    const code = await runCli(argv, repositories, output);
    return { code, lines, errors };
  };

  const passwordOf = (line: string | undefined): string => /: (\S+)$/.exec(line ?? '')![1]!;

  it('creates a coordinator once, printing the password once, and resets it', async () => {
    const created = await run('coordinator:create', '--email', 'Ops@Example.org');
    expect(created.code).toBe(0);
    const password = passwordOf(created.lines[1]);
    const user = await context.dataSource.getRepository(UserEntity).findOneByOrFail({ email: 'ops@example.org' });
    expect(user.role).toBe(UserRole.Coordinator);
    await expect(verifyPassword(password, user.passwordHash!)).resolves.toBe(true);

    expect(await run('coordinator:create', '--email', 'ops@example.org')).toMatchObject({
      code: 1,
      errors: ['an account ops@example.org already exists'],
    });
    expect((await run('coordinator:create')).code).toBe(2);

    const reset = await run('coordinator:reset-password', '--email', 'OPS@example.org');
    expect(reset.code).toBe(0);
    const newPassword = passwordOf(reset.lines[0]);
    expect(newPassword).not.toBe(password);
    const after = await context.dataSource.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    await expect(verifyPassword(newPassword, after.passwordHash!)).resolves.toBe(true);
    await expect(verifyPassword(password, after.passwordHash!)).resolves.toBe(false);
    expect((await run('coordinator:reset-password', '--email', 'nobody@example.org')).code).toBe(1);
  });

  it('creates an active organisation, refusing bad options with every problem and duplicates', async () => {
    const created = await run('organisation:create', '--name', 'CERT.uy', '--short-name', 'cert-uy', '--country', 'uy');
    expect(created.code).toBe(0);
    const id = /created: (\S+)/.exec(created.lines[0]!)![1]!;
    const stored = await context.dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id });
    expect(stored).toMatchObject({ shortName: 'cert-uy', countryCode: 'UY', status: 'active', kind: 'national-csirt' });

    expect(
      (await run('organisation:create', '--name', 'Again', '--short-name', 'cert-uy', '--country', 'UY')).code,
    ).toBe(1);
    const bad = await run('organisation:create', '--short-name', 'Not Valid', '--country', 'ZZ');
    expect(bad.code).toBe(2);
    expect([...new Set(bad.errors.map((line) => line.split(':')[0]))]).toEqual(['--name', '--short-name', '--country']);
  });
});
