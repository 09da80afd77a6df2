import { Server, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { pinnedLookup } from './pinned-lookup';

describe('pinnedLookup', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((incoming, answer) => answer.end(incoming.headers.host));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to the checked address whatever the host name resolves to now, keeping the Host header', async () => {
    // `.invalid` never resolves (RFC 6761): reaching the server proves DNS was not asked.
    const url = new URL(`http://rebound.invalid:${port}/hook`);
    const host = await new Promise<string>((resolve, reject) => {
      const outgoing = request(url, { lookup: pinnedLookup({ url, address: '127.0.0.1', family: 4 }) }, (answer) => {
        let body = '';
        answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
        answer.on('end', () => resolve(body));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(host).toBe(`rebound.invalid:${port}`);
  });
});
