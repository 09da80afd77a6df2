import type { Request } from 'express';
import { presentedApiKey } from './presented-api-key';

const requestWith = (headers: Record<string, string>): Request =>
  ({ header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const KEY = 'vigia_0123456789abcdef';

describe('presentedApiKey', () => {
  it('reads X-Api-Key and a key as Bearer token everywhere, a person’s token not', () => {
    expect(presentedApiKey(requestWith({ 'x-api-key': KEY }), false)).toEqual({ secret: KEY });
    expect(presentedApiKey(requestWith({ authorization: `Bearer ${KEY}` }), false)).toEqual({ secret: KEY });
    expect(presentedApiKey(requestWith({ authorization: 'Bearer eyJhbGciOi.x.y' }), true)).toBeUndefined();
    expect(presentedApiKey(requestWith({}), true)).toBeUndefined();
  });

  it('reads HTTP Basic only where the route accepts it', () => {
    expect(presentedApiKey(requestWith({ authorization: basic(`key-id:${KEY}`) }), false)).toBeUndefined();
    expect(presentedApiKey(requestWith({ authorization: basic(`key-id:${KEY}`) }), true)).toEqual({
      secret: KEY,
      username: 'key-id',
    });
    expect(presentedApiKey(requestWith({ authorization: basic(`:${KEY}`) }), true)).toEqual({ secret: KEY });
    expect(presentedApiKey(requestWith({ authorization: basic(`${KEY}:`) }), true)).toEqual({ secret: KEY });
    expect(presentedApiKey(requestWith({ authorization: `Basic ${KEY}` }), true)).toEqual({ secret: KEY });
    expect(presentedApiKey(requestWith({ authorization: basic('someone:wrong') }), true)).toEqual({
      secret: 'wrong',
      username: 'someone',
    });
  });
});
