// `npm run platform`'s supervisor: runs each app, restarts one that dies (with backoff, saying so) instead of
// stopping the platform, and shows its pino JSON lines readably in a terminal (as they are otherwise).
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Backoff {
  /** Delay before the first restart; doubled after each quick death. */
  initialMs: number;
  maxMs: number;
  /** An app that ran at least this long before dying starts again from `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The delay before the next start, given the last one and how long the app then ran. */
export function nextDelay(previousMs: number | undefined, ranForMs: number, backoff: Backoff): number {
  if (previousMs === undefined || ranForMs >= backoff.resetAfterMs) return backoff.initialMs;
  return Math.min(previousMs * 2, backoff.maxMs);
}

const LEVELS: Record<number, { name: string; colour: number }> = {
  10: { name: 'TRACE', colour: 90 },
  20: { name: 'DEBUG', colour: 36 },
  30: { name: 'INFO', colour: 32 },
  40: { name: 'WARN', colour: 33 },
  50: { name: 'ERROR', colour: 31 },
  60: { name: 'FATAL', colour: 35 },
};

// Fields every line has (or that the line's head already shows): left out of the key=value tail.
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'pid', 'hostname', 'app', 'context', 'msg']);

const paint = (text: string, colour: number, colours: boolean): string =>
  colours ? `\u001b[${colour}m${text}\u001b[0m` : text;

const clock = (time: unknown): string => {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return date.toTimeString().slice(0, 8);
};

const tailValue = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A pino JSON line as a person reads it: `12:03:04 INFO  portal [Context] message key=value …`, a request line
 * as `GET /path 200 12ms`, and an error's stack on the lines below. A line that is not pino JSON is kept as is.
 */
export function prettyLogLine(app: string, line: string, colours: boolean): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a log entry');
    entry = parsed as Record<string, unknown>;
  } catch {
    return `${paint(app.padEnd(6), 1, colours)} ${line}`;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level ?? 'LOG'), colour: 37 };
  const words = [paint(clock(entry.time), 90, colours), paint(level.name.padEnd(5), level.colour, colours)];
  words.push(paint(app.padEnd(6), 1, colours));
  if (typeof entry.context === 'string') words.push(paint(`[${entry.context}]`, 33, colours));
  const rest: string[] = [];
  const { req, res, responseTime, err, ...others } = entry;
  if (req && typeof req === 'object' && res && typeof res === 'object') {
    const request = req as { method?: string; url?: string; id?: unknown };
    const response = res as { statusCode?: number };
    rest.push(`${request.method} ${request.url} ${response.statusCode} ${tailValue(responseTime)}ms`);
    rest.push(`id=${tailValue(request.id)}`);
  } else if (req !== undefined) others.req = req;
  if (typeof entry.msg === 'string' && entry.msg !== 'request completed') rest.unshift(entry.msg);
  for (const [key, value] of Object.entries(others)) {
    if (!SHOWN_ELSEWHERE.has(key)) rest.push(`${paint(key, 90, colours)}=${tailValue(value)}`);
  }
  let text = [...words, ...rest].join(' ');
  if (err && typeof err === 'object') {
    const error = err as { type?: string; message?: string; stack?: string };
    const stack = error.stack ?? `${error.type ?? 'Error'}: ${error.message ?? ''}`;
    text += `\n${stack}`.replace(/\n/g, '\n    ');
  }
  return text;
}

export interface SupervisedApp {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  backoff?: Backoff;
  /** Where the apps' (formatted) lines go. */
  write?: (line: string) => void;
  /** Where the supervisor's own messages go (`[vigia] …`). */
  say?: (message: string) => void;
  pretty?: boolean;
  colours?: boolean;
}

/** Keeps one app running until `stop()`: each exit is reported, then the app starts again after a backoff. */
export class Supervisor {
  private child?: ChildProcess;
  private timer?: NodeJS.Timeout;
  private stopping = false;
  private delayMs?: number;
  /** How many times the app has been started. */
  starts = 0;

  constructor(
    private readonly app: SupervisedApp,
    private readonly options: SupervisorOptions = {},
  ) {}

  start(): void {
    const { write = (line) => process.stdout.write(`${line}\n`), pretty = false, colours = false } = this.options;
    this.starts += 1;
    const startedAt = Date.now();
    const child = spawn(this.app.command, this.app.args, {
      env: this.app.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        write(pretty ? prettyLogLine(this.app.name, line, colours) : `[${this.app.name}] ${line}`),
      );
    }
    child.on('error', (error) => this.say(`${this.app.name} could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      this.child = undefined;
      if (this.stopping) return;
      const ranForMs = Date.now() - startedAt;
      this.delayMs = nextDelay(this.delayMs, ranForMs, this.options.backoff ?? DEFAULT_BACKOFF);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.say(
        `${this.app.name} ${how} after ${formatDuration(ranForMs)}; restarting in ${formatDuration(this.delayMs)}`,
      );
      this.timer = setTimeout(() => this.start(), this.delayMs);
    });
  }

  /** Stops restarting and ends the app (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await closed;
    clearTimeout(force);
  }

  private say(message: string): void {
    (this.options.say ?? ((text: string) => process.stderr.write(`[vigia] ${text}\n`)))(message);
  }
}

const formatDuration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

const root = path.resolve(__dirname, '../..');

/** The command of `npm run start:<app>`, run directly so that signals reach node itself. */
function startCommand(app: string): SupervisedApp {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = (scripts[`start:${app}`] ?? '').split(/\s+/).filter(Boolean);
  if (!command) throw new Error(`package.json has no start:${app} script`);
  return { name: app, command, args };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).status < 500;
  } catch {
    return false;
  }
}

/**
 * `supervisor.ts <banner file> ingest worker portal`: runs the apps; once they answer /health (or after a minute)
 * prints the banner file (URLs, the coordinator's first-login hint) below their start-up lines, so it stays in view.
 */
async function main(): Promise<void> {
  const [bannerFile, ...apps] = process.argv.slice(2);
  const terminal = process.stdout.isTTY === true;
  const say = (message: string): void => void process.stderr.write(`[vigia] ${message}\n`);
  const supervisors = apps.map(
    (app) => new Supervisor(startCommand(app), { pretty: terminal, colours: terminal, say }),
  );
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping the apps');
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  supervisors.forEach((supervisor) => supervisor.start());

  const ports: Record<string, string> = {
    portal: process.env.PORTAL_PORT ?? '3000',
    ingest: process.env.INGEST_PORT ?? '3001',
    worker: process.env.WORKER_PORT ?? '3002',
  };
  const deadline = Date.now() + 60_000;
  for (const app of apps) {
    while (!stopping && Date.now() < deadline && !(await answers(`http://127.0.0.1:${ports[app]}/health`))) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (!stopping && bannerFile) process.stderr.write(readFileSync(bannerFile, 'utf8'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`[vigia] supervisor failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
