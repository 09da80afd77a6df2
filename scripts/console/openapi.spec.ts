import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const GENERATED_DIR = join(ROOT, 'apps/console/src/api/generated');

/** The generator's check, in its own process (openapi-typescript loads ES modules, which jest's runtime cannot). */
async function staleFiles(dir: string): Promise<string[]> {
  const args = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
  const answer = await run(process.execPath, [...args, 'scripts/console/openapi.ts', '--check', dir], {
    cwd: ROOT,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(answer.stdout.trim().split('\n').at(-1) ?? '{}') as { stale: string[] }).stale;
}

// The console's client is typed from the apps' OpenAPI documents: a route or DTO changed without
// `npm run console:api` fails here, before the console calls an API that no longer exists.
describe('console API types', () => {
  it('are generated from the current portal and ingest OpenAPI documents', async () => {
    expect(await staleFiles(GENERATED_DIR)).toEqual([]);
  }, 120_000);

  it('the check notices a stale file', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'vigia-api-'));
    try {
      await cp(GENERATED_DIR, copy, { recursive: true });
      await writeFile(join(copy, 'ingest.ts'), '// an older client\n');
      expect(await staleFiles(copy)).toEqual(['ingest.ts']);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }, 120_000);
});
