import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, VigiaException } from '@vigia/common';
import { TaxiiPosition } from '@vigia/database';

/** How long a `next` cursor stays valid (the issue asks for at least an hour). */
export const CURSOR_LIFETIME_S = 24 * 3600;

interface CursorContent {
  /** date_added (microseconds) and sequence number of the last version served. */
  p: [string, string];
  /** Digest of the query the cursor belongs to. */
  q: string;
  /** Expiry, seconds since the epoch. */
  x: number;
}

/** The digest a cursor is bound to: everything that decides a page's content but the page size. */
export const queryDigest = (parts: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);

/**
 * Opaque `next` cursors: the position of the last version served and the query it belongs to, signed (HMAC-SHA256),
 * so the server keeps no state and a cursor cannot be moved to another query or forged.
 */
export class TaxiiCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('taxii-cursor').digest();
  }

  issue(position: { dateAdded: string; seq: string }, digest: string, now = Date.now()): string {
    const content: CursorContent = {
      p: [position.dateAdded, position.seq],
      q: digest,
      x: Math.floor(now / 1000) + CURSOR_LIFETIME_S,
    };
    const payload = Buffer.from(JSON.stringify(content)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The position of a cursor issued for this query, or 400 saying why it cannot be used. */
  read(cursor: string, digest: string, now = Date.now()): TaxiiPosition {
    const [payload = '', signature = ''] = cursor.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw refused('it is not a cursor of this server');
    const content = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorContent;
    if (content.q !== digest) {
      throw refused('it belongs to another query: follow it with the same filters (only limit may change)');
    }
    if (content.x * 1000 < now) throw refused('it has expired; go on with added_after and X-TAXII-Date-Added-Last');
    return { dateAdded: content.p[0], seq: content.p[1] };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

const refused = (reason: string): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, `next cannot be used: ${reason}`, [{ path: 'next', reason }]);
