// The operator's command line: `npm run vigia -- <command> [--option value]...`; `npm run vigia -- help` lists them.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { generatePassword, hashPassword } from '@vigia/auth';
import { flattenValidationErrors } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import {
  MailRepository,
  SecondFactorRepository,
  OrganisationRepository,
  SecretSealer,
  SubscriptionRepository,
  UserRepository,
  UserRole,
  connectDatabase,
} from '@vigia/database';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { newOrganisationOf } from '../organisations/organisation.mapper';
import { seedCoordinator } from './seed-coordinator';

export interface CliRepositories {
  users: UserRepository;
  organisations: OrganisationRepository;
  subscriptions?: SubscriptionRepository;
  mails?: MailRepository;
  secondFactors?: SecondFactorRepository;
}

/** Where a command writes: `out` for results, `err` for problems. Secrets go to `out` once and nowhere else. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

interface Command {
  usage: string;
  summary: string;
  run(options: Record<string, string>, repositories: CliRepositories, output: CliOutput): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'coordinator:create': {
    usage: 'coordinator:create --email EMAIL',
    summary: 'Create a coordinator account (and the coordinating organisation); prints its password once',
    async run(options, repositories, output) {
      const email = required(options, 'email', output);
      if (!email) return 2;
      const result = await seedCoordinator(repositories, { email });
      if (!result.created) {
        output.err(`an account ${result.email} already exists`);
        return 1;
      }
      output.out(`coordinator created: ${result.email}`);
      output.out(`password (shown once): ${result.password}`);
      return 0;
    },
  },
  'coordinator:reset-password': {
    usage: 'coordinator:reset-password --email EMAIL',
    summary: 'Give a coordinator a new generated password; prints it once',
    async run(options, { users }, output) {
      const email = required(options, 'email', output)?.trim().toLowerCase();
      if (!email) return 2;
      const user = await users.findByEmail(email);
      if (!user || user.role !== UserRole.Coordinator) {
        output.err(`no coordinator ${email}`);
        return 1;
      }
      const password = generatePassword();
      await users.setPassword(user.id, await hashPassword(password));
      output.out(`new password for ${email} (shown once): ${password}`);
      return 0;
    },
  },
  'organisation:create': {
    usage:
      'organisation:create --name NAME --short-name SHORT --country CC [--kind national-csirt|sector-csirt|government-cert|partner] ' +
      '[--sector SECTOR]',
    summary: 'Create an active member organisation; prints its id',
    async run(options, { organisations }, output) {
      const dto = plainToInstance(CreateOrganisationDto, {
        name: options.name,
        short_name: options['short-name'],
        country: options.country,
        kind: options.kind,
        sector: options.sector,
      });
      const problems = flattenValidationErrors(await validate(dto));
      if (problems.length > 0) {
        for (const problem of problems) output.err(`--${problem.path.replace('_', '-')}: ${problem.reason}`);
        return 2;
      }
      const created = await organisations.create(newOrganisationOf(dto));
      if (!created) {
        output.err(`an organisation with short name ${dto.short_name} exists`);
        return 1;
      }
      output.out(`organisation created: ${created.id} (${created.shortName}, ${created.countryCode})`);
      return 0;
    },
  },
  'data-key:rotate': {
    usage: 'data-key:rotate',
    summary:
      'Re-wrap every sealed secret with the first DATA_ENCRYPTION_KEY (put the new key first, keep the old one after ' +
      'it, run this, then drop the old one)',
    async run(_options, { subscriptions, mails, secondFactors }, output) {
      if (!subscriptions || !mails || !secondFactors) {
        throw new Error('data-key:rotate needs the subscriptions, mails and second-factor repositories');
      }
      const changed = await subscriptions.rewrapWebhookSecrets();
      output.out(`webhook endpoints re-wrapped with the first key: ${changed}`);
      output.out(`mail bodies re-wrapped with the first key: ${await mails.rewrapBodies()}`);
      output.out(`TOTP secrets re-wrapped with the first key: ${await secondFactors.rewrapSecrets()}`);
      return 0;
    },
  },
};

export const helpText = (): string =>
  [
    'usage: npm run vigia -- <command> [options]',
    '',
    'commands:',
    ...Object.values(COMMANDS).map((command) => `  ${command.usage}\n      ${command.summary}`),
    '  help\n      This text',
  ].join('\n');

/** `--key value` pairs after the command; a flag without a value, or a stray word, is a problem. */
export function parseOptions(args: readonly string[]): { options: Record<string, string>; problems: string[] } {
  const options: Record<string, string> = {};
  const problems: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!flag.startsWith('--') || flag.length < 3) {
      problems.push(`unexpected argument ${arg}`);
      continue;
    }
    const value = inline ?? args[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      problems.push(`${flag} needs a value`);
      continue;
    }
    if (inline === undefined) index += 1;
    options[flag.slice(2)] = value;
  }
  return { options, problems };
}

function required(options: Record<string, string>, name: string, output: CliOutput): string | undefined {
  const value = options[name]?.trim();
  if (!value) output.err(`--${name} is required`);
  return value || undefined;
}

/** Whether the command line needs the database (anything but help and mistakes). */
export const needsDatabase = (argv: readonly string[]): boolean => argv[0] !== undefined && argv[0] in COMMANDS;

/** Runs one command line; answers the process exit code (0 done, 1 refused, 2 usage error). */
export async function runCli(
  argv: readonly string[],
  repositories: CliRepositories | undefined,
  output: CliOutput,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    output.out(helpText());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    output.err(`unknown command ${name}\n\n${helpText()}`);
    return 2;
  }
  const { options, problems } = parseOptions(args);
  if (problems.length > 0) {
    for (const problem of problems) output.err(problem);
    output.err(`usage: npm run vigia -- ${command.usage}`);
    return 2;
  }
  if (!repositories) throw new Error(`${name} needs the database`);
  return command.run(options, repositories, output);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const output: CliOutput = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  if (!needsDatabase(argv)) return runCli(argv, undefined, output);
  const config = loadConfigOrExit();
  const dataSource = await connectDatabase(config.database);
  const sealer = new SecretSealer(config);
  try {
    return await runCli(
      argv,
      {
        users: new UserRepository(dataSource),
        organisations: new OrganisationRepository(dataSource),
        subscriptions: new SubscriptionRepository(dataSource, sealer),
        mails: new MailRepository(dataSource, sealer),
        secondFactors: new SecondFactorRepository(dataSource, sealer),
      },
      output,
    );
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`vigia: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
