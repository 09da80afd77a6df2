import { waitFor } from '../lib/wait-for';
import { Backoff, Supervisor, nextDelay, prettyLogLine } from './supervisor';

describe('platform supervisor', () => {
  const backoff: Backoff = { initialMs: 100, maxMs: 400, resetAfterMs: 5_000 };

  it('doubles the delay after each quick death, up to the cap, and starts again after a long run', () => {
    expect(nextDelay(undefined, 10, backoff)).toBe(100);
    expect(nextDelay(100, 10, backoff)).toBe(200);
    expect(nextDelay(200, 10, backoff)).toBe(400);
    expect(nextDelay(400, 10, backoff)).toBe(400);
    expect(nextDelay(400, 5_000, backoff)).toBe(100);
  });

  it('restarts an app that exits, later each time, saying so, and stops restarting when stopped', async () => {
    const messages: { at: number; text: string }[] = [];
    const lines: string[] = [];
    // A tiny app: one pino-like line, then it dies.
    const script = `console.log(JSON.stringify({ level: 50, time: Date.now(), msg: 'boom' })); process.exit(3);`;
    const supervisor = new Supervisor(
      { name: 'tiny', command: process.execPath, args: ['-e', script] },
      { backoff, say: (text) => messages.push({ at: Date.now(), text }), write: (line) => lines.push(line) },
    );
    supervisor.start();
    await waitFor('four restarts', async () => (messages.length >= 4 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    await supervisor.stop();
    const startsWhenStopped = supervisor.starts;

    expect(messages.slice(0, 4).map(({ text }) => text.replace(/after [\d.]+ m?s/, 'after T'))).toEqual([
      'tiny exited with code 3 after T; restarting in 100 ms',
      'tiny exited with code 3 after T; restarting in 200 ms',
      'tiny exited with code 3 after T; restarting in 400 ms',
      'tiny exited with code 3 after T; restarting in 400 ms',
    ]);
    // The waits really grow: the gap between the second and third deaths holds the 200 ms backoff.
    expect(messages[2].at - messages[1].at).toBeGreaterThanOrEqual(200);
    expect(lines[0]).toMatch(/^\[tiny\] \{"level":50/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(supervisor.starts).toBe(startsWhenStopped);
  });

  it('stops a running app with SIGTERM and does not restart it', async () => {
    const messages: string[] = [];
    const supervisor = new Supervisor(
      { name: 'sleeper', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60_000)'] },
      { backoff, say: (text) => messages.push(text), write: () => undefined },
    );
    supervisor.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(supervisor.starts).toBe(1);
    expect(messages).toEqual([]);
  });

  describe('readable log lines', () => {
    const time = new Date(2026, 0, 2, 12, 3, 4).getTime();

    it('shows time, level, app, context and message, then the other fields', () => {
      const line = JSON.stringify({
        level: 30,
        time,
        pid: 1,
        hostname: 'h',
        app: 'portal',
        context: 'Bootstrap',
        msg: 'listening',
        port: 3000,
      });
      expect(prettyLogLine('portal', line, false)).toBe('12:03:04 INFO  portal [Bootstrap] listening port=3000');
    });

    it('shows a request as method, path, status and time, and an error with its stack below', () => {
      const request = JSON.stringify({
        level: 30,
        time,
        req: { id: 'r1', method: 'GET', url: '/api/v1/x' },
        res: { statusCode: 200 },
        responseTime: 12,
        msg: 'request completed',
      });
      expect(prettyLogLine('ingest', request, false)).toBe('12:03:04 INFO  ingest GET /api/v1/x 200 12ms id=r1');
      const failure = JSON.stringify({ level: 50, time, msg: 'failed', err: { stack: 'Error: x\n    at y' } });
      expect(prettyLogLine('worker', failure, false)).toBe('12:03:04 ERROR worker failed\n    Error: x\n        at y');
    });

    it('keeps a line that is not JSON, and colours only when asked', () => {
      expect(prettyLogLine('worker', 'plain text', false)).toBe('worker plain text');
      expect(prettyLogLine('worker', JSON.stringify({ level: 40, time, msg: 'w' }), true)).toContain('\u001b[33mWARN');
    });
  });
});
