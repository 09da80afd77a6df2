import { UserSessionEntity } from '@vigia/database';
import { toSessionDto, toSessionTokensDto } from './session.mapper';

describe('session mapper', () => {
  const issued = {
    sessionId: 's-1',
    accessToken: 'jwt',
    expiresIn: 900,
    refreshToken: 'vigia_rt_x',
    sessionExpiresAt: new Date('2030-01-01T00:00:00Z'),
  };

  it('answers the tokens to scripts and keeps them out of the body in cookie mode', () => {
    expect(toSessionTokensDto(issued, false)).toEqual({
      access_token: 'jwt',
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: 'vigia_rt_x',
      session_id: 's-1',
    });
    expect(toSessionTokensDto(issued, true)).toEqual({ token_type: 'Bearer', expires_in: 900, session_id: 's-1' });
  });

  it('marks the current session', () => {
    const session = Object.assign(new UserSessionEntity(), {
      id: 's-1',
      createdAt: new Date('2029-01-01T00:00:00Z'),
      lastUsedAt: new Date('2029-01-02T00:00:00Z'),
      expiresAt: new Date('2029-02-01T00:00:00Z'),
      userAgent: null,
      ipAddress: '192.0.2.1',
    });
    expect(toSessionDto(session, 's-1')).toEqual({
      id: 's-1',
      created_at: '2029-01-01T00:00:00.000Z',
      last_used_at: '2029-01-02T00:00:00.000Z',
      expires_at: '2029-02-01T00:00:00.000Z',
      user_agent: null,
      ip_address: '192.0.2.1',
      current: true,
    });
    expect(toSessionDto(session, 's-2').current).toBe(false);
  });
});
