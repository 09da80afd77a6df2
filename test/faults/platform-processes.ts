import { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppName, healthy, spawnApp } from '../../scripts/lib/app-process';
import { freePort } from '../../scripts/lib/free-port';
import { killAll, stopped } from '../support/worker-process';

/** One app process of the platform under test, by a name of the test's own ("worker-1"). */
interface Member {
  app: AppName;
  port: number;
  child: ChildProcess;
  log: string;
}

const PORT_VARIABLE: Record<AppName, string> = { ingest: 'INGEST_PORT', worker: 'WORKER_PORT', portal: 'PORTAL_PORT' };

/**
 * The platform as separate processes started from the apps' real entry points (as `npm run start:<app>` runs them)
 * in `checkout`, a transpiled copy of the sources (`transpilePlatform`), each with its own log file in `logDir`, that
 * a test can SIGKILL and start again.
 */
export class PlatformProcesses {
  private readonly members = new Map<string, Member>();
  private readonly everyChild: ChildProcess[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly checkout: string,
    private readonly logDir: string,
  ) {}

  /** Starts `name` (again, on the same port, when it ran before) and resolves once it answers /health. */
  async start(name: string, app: AppName): Promise<void> {
    const port = this.members.get(name)?.port ?? (await freePort());
    const log = path.join(this.logDir, `${name}.log`);
    const child = spawnApp(
      app,
      { ...this.env, [PORT_VARIABLE[app]]: String(port) },
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        checkout: this.checkout,
        transpiled: true,
      },
    );
    const output = createWriteStream(log, { flags: 'a' });
    child.stdout?.pipe(output, { end: false });
    child.stderr?.pipe(output, { end: false });
    this.everyChild.push(child);
    this.members.set(name, { app, port, child, log });
    // Five apps start at once on a small machine that may be busy with other tests.
    await healthy(port, child, app, 180_000);
  }

  url(name: string): string {
    return `http://127.0.0.1:${this.member(name).port}`;
  }

  /** SIGKILL: no shutdown hook runs, as when the machine or the OOM killer takes the process. */
  async kill(name: string): Promise<void> {
    const { child } = this.member(name);
    child.kill('SIGKILL');
    await stopped(child);
  }

  /** The last lines each app logged, for a failure's message. */
  logTails(lines = 15): string {
    return [...this.members.entries()]
      .map(([name, { log }]) => {
        let text: string;
        try {
          text = readFileSync(log, 'utf8');
        } catch {
          text = '(no log)';
        }
        return `--- ${name}\n${text.split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');
  }

  async stopAll(): Promise<void> {
    await killAll(this.everyChild);
  }

  private member(name: string): Member {
    const member = this.members.get(name);
    if (!member) throw new Error(`no process named ${name}`);
    return member;
  }
}
