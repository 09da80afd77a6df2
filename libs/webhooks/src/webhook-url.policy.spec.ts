import { loadConfig } from '@vigia/config';
import { Webhook } from 'standardwebhooks';
import { inAllowedNetwork, refusedAddressReason } from './address-ranges';
import { generateWebhookSecret, signWebhook } from './webhook-secret';
import { WebhookUrlPolicy } from './webhook-url.policy';

const policy = (env: NodeJS.ProcessEnv = {}) =>
  new WebhookUrlPolicy(
    loadConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      ...env,
    }),
  );

describe('refusedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['fd12:3456::1', 'unique local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible'],
    ['::169.254.169.254', 'IPv4-compatible'],
    ['::8.8.8.8', 'IPv4-compatible'],
    ['::2', 'IPv4-compatible'],
    ['::ffff:ffff', 'IPv4-compatible'],
    ['0:0:0:0:0:0:10.0.0.1', 'IPv4-compatible'],
  ])('refuses %s (%s)', (address, words) => {
    expect(refusedAddressReason(address)).toContain(words);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:93.184.216.34'])('accepts %s', (address) => {
    expect(refusedAddressReason(address)).toBeUndefined();
  });

  it('matches allowed networks, IPv4-mapped addresses as IPv4', () => {
    expect(inAllowedNetwork('127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(inAllowedNetwork('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(inAllowedNetwork('::1', ['127.0.0.0/8'])).toBe(false);
  });
});

describe('WebhookUrlPolicy', () => {
  it('accepts an https URL on a public address, with any port, pinned to that address', async () => {
    const result = await policy().check('https://93.184.216.34:8443/hooks');
    expect(result).toEqual({ ok: true, target: expect.objectContaining({ address: '93.184.216.34', family: 4 }) });
  });

  it('refuses http in production, credentials, and private targets, giving every reason', async () => {
    const result = await policy().check('http://user:pw@169.254.169.254/latest/meta-data');
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.reasons;
    expect(reasons).toEqual([
      'scheme must be https, not http',
      'URL must not carry credentials; authenticate by the signature',
      expect.stringMatching(/^169.254.169.254 is a link-local address .*; webhooks may only target public addresses$/),
    ]);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const result = await policy().check('https://localhost:9/');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.reasons).toContainEqual(expect.stringMatching(/^localhost resolves to .*loopback/));
  });

  it('refuses IPv6 literals and encoded IPv4 forms', async () => {
    for (const url of [
      'https://[::1]/',
      'https://[::ffff:7f00:1]/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://[::127.0.0.1]/',
      'https://[::169.254.169.254]/latest/meta-data',
      'https://[0:0:0:0:0:0:a9fe:a9fe]:8443/',
    ]) {
      expect((await policy().check(url)).ok).toBe(false);
    }
  });

  it('lets the operator allow networks and hosts, and http when configured', async () => {
    const allowed = policy({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' });
    expect((await allowed.check('http://127.0.0.1:8080/in')).ok).toBe(true);
    const byHost = policy({ WEBHOOK_ALLOWED_HOSTS: 'localhost' });
    expect((await byHost.check('https://localhost/')).ok).toBe(true);
  });

  it('refuses what is not a URL', async () => {
    expect(await policy().check('not a url')).toEqual({ ok: false, reasons: ['not a valid absolute URL'] });
    expect(await policy().check('ftp://93.184.216.34/')).toEqual({
      ok: false,
      reasons: ['scheme must be https, not ftp'],
    });
  });
});

describe('signWebhook', () => {
  it('signs with every secret so a receiver holding either verifies', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const timestamp = new Date();
    const body = JSON.stringify({ hello: 'world' });
    const signature = signWebhook({ id: 'msg_1', timestamp, body, secrets: [current, previous] });
    expect(signature.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(new Webhook(current).verify(body, headers)).toEqual({ hello: 'world' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ hello: 'world' });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });
});
