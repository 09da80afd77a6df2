import { ApplicationFormTokens, FORM_TOKEN_MAX_AGE_MS } from './application-form';

describe('application form tokens', () => {
  const tokens = new ApplicationFormTokens('a secret of at least thirty-two characters');
  const issuedAt = new Date('2026-11-30T10:00:00Z');
  const later = (ms: number) => new Date(issuedAt.getTime() + ms);

  it('accepts a token once the form was open long enough, with its nonce', () => {
    const { token } = tokens.issue(issuedAt);
    const read = tokens.read(token, 5000, later(5000));
    expect(read).toEqual({ ok: true, nonce: token.split('.')[1] });
  });

  it('refuses a token sent too soon, an expired one, a forged one and garbage', () => {
    const { token } = tokens.issue(issuedAt);
    expect(tokens.read(token, 5000, later(4999))).toEqual({ ok: false, reason: expect.stringMatching(/too soon/) });
    expect(tokens.read(token, 0, later(FORM_TOKEN_MAX_AGE_MS + 1))).toEqual({
      ok: false,
      reason: expect.stringMatching(/expired/),
    });
    const [, nonce, signature] = token.split('.');
    const backdated = `${issuedAt.getTime() - 60_000}.${nonce}.${signature}`;
    expect(tokens.read(backdated, 5000, later(0))).toEqual({ ok: false, reason: 'not a form token of this portal' });
    const other = new ApplicationFormTokens('another secret of at least thirty-two characters');
    expect(other.read(token, 0, later(1)).ok).toBe(false);
    expect(tokens.read('garbage', 0, later(1)).ok).toBe(false);
  });
});
