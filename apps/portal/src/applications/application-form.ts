import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A form token older than this is refused: the applicant opens the form again. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A form token as issued: the token to send back, and the moment it was issued. */
export interface IssuedFormToken {
  token: string;
  issuedAt: Date;
}

/** A form token read back: its single-use nonce, or why it is refused. */
export type ReadFormToken = { ok: true; nonce: string } | { ok: false; reason: string };

/**
 * Spam resistance of the public application form without state: the form token is `issuedAt.nonce.hmac`, signed with
 * a key derived from the portal's secret. A submission needs one that is at least `minFillMs` old (scripts post at
 * once; people take longer to fill the form) and at most a day; its nonce is stored with the application, so a form
 * is sent once.
 */
export class ApplicationFormTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`vigia-application-form:${secret}`, 'utf8').digest();
  }

  issue(now: Date = new Date()): IssuedFormToken {
    const payload = `${now.getTime()}.${randomBytes(16).toString('base64url')}`;
    return { token: `${payload}.${this.sign(payload)}`, issuedAt: now };
  }

  read(token: string, minFillMs: number, now: Date = new Date()): ReadFormToken {
    const [issued, nonce, signature, ...rest] = token.split('.');
    if (!issued || !nonce || !signature || rest.length > 0 || !/^\d{1,15}$/.test(issued)) {
      return { ok: false, reason: 'not a form token: ask GET /api/v1/applications/form for one' };
    }
    const expected = Buffer.from(this.sign(`${issued}.${nonce}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'not a form token of this portal' };
    }
    const age = now.getTime() - Number(issued);
    if (age < minFillMs) {
      return { ok: false, reason: `sent too soon: wait ${Math.ceil(minFillMs / 1000)} s after opening the form` };
    }
    if (age > FORM_TOKEN_MAX_AGE_MS) return { ok: false, reason: 'the form expired: open it again' };
    return { ok: true, nonce };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload, 'utf8').digest('base64url');
  }
}
