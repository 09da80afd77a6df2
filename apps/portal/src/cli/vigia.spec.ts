import { CliOutput, helpText, needsDatabase, parseOptions, runCli } from './vigia';

const capture = (): CliOutput & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
};

describe('vigia CLI', () => {
  it('reads --key value and --key=value, and names every problem', () => {
    expect(parseOptions(['--name', 'CERT uy', '--short-name=cert-uy', '--country', 'UY'])).toEqual({
      options: { name: 'CERT uy', 'short-name': 'cert-uy', country: 'UY' },
      problems: [],
    });
    expect(parseOptions(['stray', '--email', '--name']).problems).toEqual([
      'unexpected argument stray',
      '--email needs a value',
      '--name needs a value',
    ]);
  });

  it('prints help without a database, and refuses unknown commands with usage', async () => {
    expect(needsDatabase(['help'])).toBe(false);
    expect(needsDatabase([])).toBe(false);
    expect(needsDatabase(['coordinator:create'])).toBe(true);
    const output = capture();
    await expect(runCli(['help'], undefined, output)).resolves.toBe(0);
    expect(output.lines.join('\n')).toBe(helpText());
    for (const command of ['coordinator:create', 'coordinator:reset-password', 'organisation:create']) {
      expect(helpText()).toContain(command);
    }
    const unknown = capture();
    await expect(runCli(['drop:everything'], undefined, unknown)).resolves.toBe(2);
    expect(unknown.errors[0]).toContain('unknown command drop:everything');
  });

  it('answers 2 with the usage on bad options, before touching the database', async () => {
    const output = capture();
    await expect(runCli(['coordinator:create', '--email'], undefined, output)).resolves.toBe(2);
    expect(output.errors).toEqual([
      '--email needs a value',
      'usage: npm run vigia -- coordinator:create --email EMAIL',
    ]);
  });
});
