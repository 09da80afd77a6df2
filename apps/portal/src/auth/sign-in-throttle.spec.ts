import { AppConfig } from '@vigia/config';
import Redis from 'ioredis';
import { SignInThrottle } from './sign-in-throttle';

const config = { redis: { prefix: 'test' } } as AppConfig;

/** A Redis whose every transaction ends with `exec` (never answering, or failing). */
function redisWhoseExec(exec: () => Promise<unknown>): Redis {
  const chain: Record<string, unknown> = { exec };
  for (const command of ['get', 'pttl', 'incr', 'pexpire']) chain[command] = () => chain;
  return { multi: () => chain, del: exec } as unknown as Redis;
}

describe('sign-in throttle without Redis', () => {
  it('steps aside when Redis does not answer, so people can still sign in', async () => {
    const throttle = new SignInThrottle(
      redisWhoseExec(() => new Promise(() => undefined)),
      config,
    );
    const started = Date.now();
    await expect(throttle.check('a@example.org', '192.0.2.1')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('steps aside when Redis fails', async () => {
    const throttle = new SignInThrottle(
      redisWhoseExec(() => Promise.reject(new Error('connection refused'))),
      config,
    );
    await expect(throttle.check('a@example.org', undefined)).resolves.toBeUndefined();
    await expect(throttle.recordFailure('a@example.org', undefined)).resolves.toBeUndefined();
    await expect(throttle.recordSuccess('a@example.org')).resolves.toBeUndefined();
  });

  it('locks (423) with Retry-After once an account reached its limit', async () => {
    const answers = [
      [null, '10'],
      [null, 90_000],
      [null, null],
      [null, -2],
    ];
    const throttle = new SignInThrottle(
      redisWhoseExec(() => Promise.resolve(answers)),
      config,
    );
    await expect(throttle.check('a@example.org', '192.0.2.1')).rejects.toMatchObject({
      code: 'LOCKED',
      headers: { 'Retry-After': '90' },
    });
  });
});
