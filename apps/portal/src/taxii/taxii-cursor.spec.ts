import { VigiaException } from '@vigia/common';
import { CURSOR_LIFETIME_S, TaxiiCursors, queryDigest } from './taxii-cursor';
import { checkAccept, checkContentType } from './taxii-media';
import { dateAddedLastHeader, parseAddedAfter } from './taxii-timestamp';

describe('TAXII cursors', () => {
  const cursors = new TaxiiCursors('secret');
  const position = { dateAdded: '2025-03-01T10:00:00.000001Z', seq: '42' };
  const digest = queryDigest(['objects', 'org', 'network']);

  it('gives back the position for the same query for at least an hour', () => {
    const cursor = cursors.issue(position, digest, 0);
    expect(cursors.read(cursor, digest, 3600_000)).toEqual(position);
    expect(cursors.read(cursor, digest, (CURSOR_LIFETIME_S - 1) * 1000)).toEqual(position);
  });

  it('refuses another query, an expired cursor, a forged one and another server secret', () => {
    const cursor = cursors.issue(position, digest, 0);
    expect(() => cursors.read(cursor, queryDigest(['objects', 'org', 'mine']), 0)).toThrow(/another query/);
    expect(() => cursors.read(cursor, digest, (CURSOR_LIFETIME_S + 1) * 1000)).toThrow(/expired/);
    const [payload] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ p: ['2030-01-01T00:00:00.000000Z', '1'], q: digest, x: 1e12 }));
    expect(() => cursors.read(`${forged.toString('base64url')}.${cursor.split('.')[1]}`, digest, 0)).toThrow(
      VigiaException,
    );
    expect(() => new TaxiiCursors('other').read(cursor, digest, 0)).toThrow(/not a cursor/);
    expect(payload).not.toContain('42');
  });
});

describe('TAXII timestamps', () => {
  it('reads a plain added_after as after the whole instant, truncated to microseconds', () => {
    expect(parseAddedAfter('2025-03-01T10:00:00Z')).toEqual({ dateAdded: '2025-03-01T10:00:00.000000Z', seq: null });
    expect(parseAddedAfter('2025-03-01T10:00:00.123456789Z')).toEqual({
      dateAdded: '2025-03-01T10:00:00.123456Z',
      seq: null,
    });
    expect(() => parseAddedAfter('2025-02-30T10:00:00Z')).toThrow(VigiaException);
    expect(() => parseAddedAfter('2025-03-01T10:00:00+01:00')).toThrow(VigiaException);
  });

  it('writes and reads back the place inside an instant', () => {
    const last = { dateAdded: '2025-03-01T10:00:00.000001Z', seq: '9007199254740993' };
    expect(dateAddedLastHeader(last, false)).toBe(last.dateAdded);
    const header = dateAddedLastHeader(last, true);
    expect(header).toBe('2025-03-01T10:00:00.0000010009007199254740993Z');
    expect(parseAddedAfter(header)).toEqual(last);
  });
});

describe('TAXII media types', () => {
  it.each(['application/taxii+json;version=2.1', 'application/taxii+json', '*/*', 'application/*', undefined])(
    'accepts %s',
    (accept) => expect(() => checkAccept(accept)).not.toThrow(),
  );

  it.each(['application/json', 'application/taxii+json;version=2.0', 'text/html', 'application/taxii+json;q=0'])(
    'answers 406 to %s',
    (accept) => expect(() => checkAccept(accept)).toThrow(/only in/),
  );

  it('takes bodies only in TAXII 2.1', () => {
    expect(() => checkContentType('application/taxii+json; version=2.1')).not.toThrow();
    expect(() => checkContentType('application/json')).toThrow(/envelope/);
    expect(() => checkContentType(undefined)).toThrow(/envelope/);
  });
});
