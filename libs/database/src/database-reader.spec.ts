import { isUnreachable } from './database-reader';

describe('isUnreachable', () => {
  it('takes network errors and the SQLSTATEs of a server gone or going as unreachable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '08006', '08001', '57P01', '57P03']) {
      expect(isUnreachable(Object.assign(new Error('x'), { code }))).toBe(true);
    }
    expect(isUnreachable(Object.assign(new Error('x'), { driverError: { code: '57P01' } }))).toBe(true);
    expect(isUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves errors of the statement itself to the caller', () => {
    for (const code of ['42601', '23505', '40001', '22P02']) {
      expect(isUnreachable(Object.assign(new Error('x'), { code }))).toBe(false);
    }
    expect(isUnreachable('text')).toBe(false);
  });
});
