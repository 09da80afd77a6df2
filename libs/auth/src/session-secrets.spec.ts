import type { Request } from 'express';
import { VigiaException } from '@vigia/common';
import { checkCsrf, presentedAccessToken } from './access-token.strategy';
import {
  csrfTokensMatch,
  generateCsrfToken,
  generateRefreshToken,
  hashRefreshToken,
  isSafeMethod,
} from './session-secrets';

/** Just enough of an Express request for the helpers under test. */
const requestWith = (method: string, headers: Record<string, string>, cookies: Record<string, string> = {}): Request =>
  ({ method, cookies, header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('session secrets', () => {
  it('makes distinct refresh tokens and stores only their SHA-256', () => {
    const one = generateRefreshToken();
    const two = generateRefreshToken();
    expect(one.token).toMatch(/^vigia_rt_[\w-]{43}$/);
    expect(one.token).not.toBe(two.token);
    expect(one.hash).toBe(hashRefreshToken(one.token));
    expect(one.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches CSRF tokens only when both are present and equal', () => {
    const token = generateCsrfToken();
    expect(csrfTokensMatch(token, token)).toBe(true);
    expect(csrfTokensMatch(token, `${token}x`)).toBe(false);
    expect(csrfTokensMatch(undefined, token)).toBe(false);
    expect(csrfTokensMatch('', '')).toBe(false);
  });

  it('treats only GET, HEAD and OPTIONS as safe', () => {
    expect(['GET', 'head', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some(isSafeMethod)).toBe(false);
  });
});

describe('access token and CSRF from a request', () => {
  it('prefers the Authorization header to the cookie, and says where the token came from', () => {
    expect(presentedAccessToken(requestWith('GET', { authorization: 'Bearer abc' }, { vigia_access: 'def' }))).toEqual({
      token: 'abc',
      fromCookie: false,
    });
    expect(presentedAccessToken(requestWith('GET', {}, { vigia_access: 'def' }))).toEqual({
      token: 'def',
      fromCookie: true,
    });
    expect(presentedAccessToken(requestWith('GET', { authorization: 'Bearer ' }))).toBeUndefined();
    expect(presentedAccessToken(requestWith('GET', {}))).toBeUndefined();
  });

  it('requires X-CSRF-Token equal to the cookie on changes only', () => {
    expect(() => checkCsrf(requestWith('GET', {}, {}))).not.toThrow();
    expect(() => checkCsrf(requestWith('POST', { 'x-csrf-token': 't' }, { vigia_csrf: 't' }))).not.toThrow();
    expect(() => checkCsrf(requestWith('POST', {}, { vigia_csrf: 't' }))).toThrow(VigiaException);
    expect(() => checkCsrf(requestWith('DELETE', { 'x-csrf-token': 'u' }, { vigia_csrf: 't' }))).toThrow(
      /X-CSRF-Token/,
    );
  });
});
