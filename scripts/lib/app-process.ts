import { ChildProcess, StdioOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '../..');

export type AppName = 'ingest' | 'worker' | 'portal';

/** The node options `npm run start:<app>` runs the app with: package.json is their one place. */
export function startScriptNodeFlags(app: AppName): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (scripts[`start:${app}`] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * An app's real entry point (`apps/<app>/src/main.ts`, through ts-node) in its own process, with the node options of
 * `npm run start:<app>` and `nodeFlags` after them; `env` on top of this process's environment (a key set to
 * undefined is removed). `checkout` runs it from another copy of the sources (default: this one); `transpiled`: that
 * copy holds the sources already transpiled to JavaScript beside a tsconfig.json (`apps/<app>/src/main.js`).
 */
export function spawnApp(
  app: AppName,
  env: NodeJS.ProcessEnv,
  {
    nodeFlags = [],
    stdio = 'ignore',
    checkout = root,
    transpiled = false,
  }: { nodeFlags?: string[]; stdio?: StdioOptions; checkout?: string; transpiled?: boolean } = {},
): ChildProcess {
  const merged = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const entry = transpiled
    ? ['-r', 'tsconfig-paths/register', `apps/${app}/src/main.js`]
    : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`];
  return spawn(process.execPath, [...startScriptNodeFlags(app), ...nodeFlags, ...entry], {
    cwd: checkout,
    env: merged,
    stdio,
  });
}

/**
 * Resolves once the app answers /health on `port`; fails at once if it exits first. `timeoutMs`: longer where several
 * apps compile at once on a busy machine.
 */
export async function healthy(
  port: number,
  child: ChildProcess,
  app: AppName = 'worker',
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    `the ${app} to answer /health`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}
