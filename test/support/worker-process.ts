import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TestContext } from './test-context';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '../..');

/**
 * The real worker entry point, as `node` runs it, on this test's database and Redis prefix (and with `env` on top);
 * for tests that kill it.
 */
export function startWorker(context: TestContext, port: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: context.config.database.url,
        REDIS_PREFIX: context.config.redis.prefix,
        WORKER_PORT: String(port),
        // A killed worker's jobs are taken over once their lock lapses: keep that short here.
        JOB_LOCK_DURATION_MS: '2000',
        ...env,
      },
      stdio: 'ignore',
    },
  );
}

export async function healthy(port: number, child: ChildProcess): Promise<void> {
  await waitFor(
    'the worker to answer /health',
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

export const stopped = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));

/** Kills every worker still running (the end of a test that kills workers). */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stopped(child);
  }
}
