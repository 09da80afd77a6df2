import { ChildProcess } from 'node:child_process';
import { spawnApp } from '../../scripts/lib/app-process';
import { TestContext } from './test-context';

export { healthy } from '../../scripts/lib/app-process';

/**
 * The real worker entry point, as `npm run start:worker` runs it, on this test's database and Redis prefix (and with
 * `env` on top); for tests that kill it.
 */
export function startWorker(context: TestContext, port: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawnApp('worker', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: context.config.database.url,
    REDIS_PREFIX: context.config.redis.prefix,
    WORKER_PORT: String(port),
    // A killed worker's jobs are taken over once their lock lapses: keep that short here.
    JOB_LOCK_DURATION_MS: '2000',
    ...env,
  });
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
