import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = (): string => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

export interface SignatureInput {
  /** `webhook-id`: the delivery id, the same on every attempt. */
  id: string;
  timestamp: Date;
  body: string;
  /** The current secret first, then any still-valid previous one. */
  secrets: string[];
}

/**
 * The `webhook-signature` header: one `v1,<base64>` per secret, space-separated, which Standard Webhooks
 * verifiers accept when any one matches. During a rotation's grace period receivers holding either secret verify.
 */
export const signWebhook = ({ id, timestamp, body, secrets }: SignatureInput): string =>
  secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
