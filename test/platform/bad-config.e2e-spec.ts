import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Runs an app's real entry point the way `node` would, with the given environment. */
function runApp(app: string, env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
    { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
}

describe('a bad environment setting', () => {
  it.each(['portal', 'ingest', 'worker'])('stops %s at boot with one line naming the setting', (app) => {
    const result = runApp(app, { DATABASE_URL: 'not-a-url' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: DATABASE_URL="not-a-url": /);
  });

  it('stops a worker told to consume a queue that does not exist', () => {
    const result = runApp('worker', { WORKER_QUEUES: 'reports,indicator' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Invalid configuration: WORKER_QUEUES="reports,indicator": each must be one of reports, /,
    );
  });
});
