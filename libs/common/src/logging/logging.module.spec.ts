import { loggedError, loggedPath } from './logging.module';

describe('loggedPath', () => {
  it('keeps the path and drops the query string, which may carry report fields', () => {
    expect(loggedPath('/api/v1/reports/csv?title=Secret%20campaign&tlp=red')).toBe('/api/v1/reports/csv');
    expect(loggedPath('/api/v1/reports/1')).toBe('/api/v1/reports/1');
    expect(loggedPath(undefined)).toBeUndefined();
  });
});

describe('loggedError', () => {
  it('keeps what tells the error apart and drops the failed query and its parameters', () => {
    const report = 'TLP:RED campaign against the ministry';
    const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    // Shaped as TypeORM's QueryFailedError: the SQL, its parameters and the driver's error ride along.
    const failed = Object.assign(new Error(driverError.message), {
      name: 'QueryFailedError',
      code: '22021',
      query: 'INSERT INTO incident_reports VALUES ($1)',
      parameters: [report],
      driverError,
    });
    const logged = loggedError(failed);
    expect(logged).toMatchObject({ type: 'QueryFailedError', code: '22021', message: expect.stringMatching(/0x00/) });
    expect(JSON.stringify(logged)).not.toContain('TLP:RED');
    expect(JSON.stringify(logged)).not.toContain('INSERT INTO');
    expect(loggedError('x'.repeat(5000))).toEqual({ message: 'x'.repeat(1000) });
  });
});
