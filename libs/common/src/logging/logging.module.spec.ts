import { loggedPath } from './logging.module';

describe('loggedPath', () => {
  it('keeps the path and drops the query string, which may carry report fields', () => {
    expect(loggedPath('/api/v1/reports/csv?title=Secret%20campaign&tlp=red')).toBe('/api/v1/reports/csv');
    expect(loggedPath('/api/v1/reports/1')).toBe('/api/v1/reports/1');
    expect(loggedPath(undefined)).toBeUndefined();
  });
});
