import { TaxiiStatusRecord } from '@vigia/database';
import { pageBody, toStatusDto } from './taxii.mapper';

const record = (overrides: Partial<TaxiiStatusRecord>): TaxiiStatusRecord => ({
  id: 'status-1',
  organisationId: 'org',
  reportId: 'report-1',
  accepted: [
    { id: 'indicator--1', version: '2025-01-01T00:00:00.000Z' },
    { id: 'malware--2', version: '2025-01-01T00:00:00.000Z' },
  ],
  refused: [{ id: 'indicator--3', version: '', message: '/modified: is required' }],
  createdAt: new Date('2025-01-01T00:00:00.000Z'),
  reportStatus: 'received',
  reportFailureReason: null,
  reportSkipped: [],
  ...overrides,
});

describe('TAXII status', () => {
  it('is pending while the report waits for normalisation, refused objects already failures', () => {
    expect(toStatusDto(record({}))).toMatchObject({
      status: 'pending',
      total_count: 3,
      success_count: 0,
      failure_count: 1,
      failures: [{ id: 'indicator--3', message: '/modified: is required' }],
      pending_count: 2,
    });
  });

  it('is complete once normalised, with what normalisation skipped as the message', () => {
    const status = toStatusDto(
      record({ reportStatus: 'normalised', reportSkipped: [{ path: 'objects[1]', reason: 'not imported' }] }),
    );
    expect(status).toMatchObject({ status: 'complete', success_count: 2, failure_count: 1, pending_count: 0 });
    expect(status.successes).toEqual([
      { id: 'indicator--1', version: '2025-01-01T00:00:00.000Z' },
      { id: 'malware--2', version: '2025-01-01T00:00:00.000Z', message: 'stored; not imported' },
    ]);
  });

  it('lists every accepted object as a failure with the reason when normalisation failed', () => {
    const status = toStatusDto(record({ reportStatus: 'failed', reportFailureReason: 'worker gave up' }));
    expect(status).toMatchObject({ status: 'complete', success_count: 0, failure_count: 3, pending_count: 0 });
    expect(status.failures.slice(1).map((failure) => failure.message)).toEqual(['worker gave up', 'worker gave up']);
  });

  it('lists the first 100 objects of each list, and counts them all', () => {
    const many = (prefix: string) =>
      Array.from({ length: 10_000 }, (_, index) => ({ id: `${prefix}--${index}`, version: 'v', message: 'bad' }));
    const refusedAll = toStatusDto(record({ accepted: [], refused: many('indicator') }));
    expect(refusedAll).toMatchObject({ total_count: 10_000, failure_count: 10_000 });
    expect(refusedAll.failures).toHaveLength(100);
    expect(refusedAll.failures[0]).toEqual({ id: 'indicator--0', version: 'v', message: 'bad' });
    const pending = toStatusDto(record({ accepted: many('malware'), refused: [] }));
    expect(pending).toMatchObject({ pending_count: 10_000 });
    expect(pending.pendings).toHaveLength(100);
    const normalised = toStatusDto(record({ accepted: many('malware'), refused: [], reportStatus: 'normalised' }));
    expect(normalised).toMatchObject({ success_count: 10_000 });
    expect(normalised.successes).toHaveLength(100);
  });
});

describe('TAXII page bodies', () => {
  const row = { dateAdded: '2025-01-01T00:00:00.000000Z', seq: '1', id: 'malware--1', version: 'v', tlp: 'green' };

  it('passes objects on as stored and answers the empty envelope when there is nothing', () => {
    expect(pageBody('objects', [], false, undefined)).toBe('{}');
    expect(JSON.parse(pageBody('objects', [{ ...row, object: '{"id":"malware--1"}' }], true, 'c'))).toEqual({
      more: true,
      next: 'c',
      objects: [{ id: 'malware--1' }],
    });
    expect(JSON.parse(pageBody('versions', [{ ...row, object: null }], false, undefined))).toEqual({
      more: false,
      versions: ['v'],
    });
  });
});
