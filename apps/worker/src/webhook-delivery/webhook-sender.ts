import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { WebhookTarget, WebhookUrlPolicy, pinnedLookup } from '@vigia/webhooks';

/** Bytes of a failed answer's body kept in `last_error`, enough to show the receiver's message. */
const MAX_ERROR_BODY_BYTES = 512;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What one attempt came to: a status code when the receiver answered, an error text when it was not a 2xx. */
export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  retryAfter?: string;
  latencyMs: number;
}

/**
 * Sends one webhook POST. The URL is checked by the SSRF policy first and the connection goes to the checked
 * address; redirects are never followed (a 3xx is a failed attempt); the whole attempt, connection to the end of
 * what is read of the answer, has `WEBHOOK_TIMEOUT_MS`. A fresh connection per attempt (no keep-alive pool), so a
 * pooled socket can never carry a request to an address that was not checked for it.
 */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policy: WebhookUrlPolicy,
  ) {}

  async send(webhook: WebhookRequest): Promise<AttemptResult> {
    const started = Date.now();
    const check = await this.policy.check(webhook.url);
    if (!check.ok) return { statusCode: null, error: `refused: ${check.reasons.join('; ')}`, latencyMs: 0 };
    try {
      const answer = await this.post(check.target, webhook);
      const latencyMs = Date.now() - started;
      return {
        statusCode: answer.statusCode,
        error: describeFailure(answer),
        retryAfter: answer.retryAfter,
        latencyMs,
      };
    } catch (error) {
      return { statusCode: null, error: describeError(error), latencyMs: Date.now() - started };
    }
  }

  private post(target: WebhookTarget, webhook: WebhookRequest): Promise<Answer> {
    const timeoutMs = this.config.webhooks.timeoutMs;
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const request = send(target.url, {
        method: 'POST',
        headers: { ...webhook.headers, 'content-length': String(Buffer.byteLength(webhook.body)) },
        lookup: pinnedLookup(target),
        agent: false,
      });
      const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.on('response', (response) =>
        readAnswer(response).then(
          (answer) => {
            clearTimeout(timer);
            request.destroy();
            resolve(answer);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        ),
      );
      request.end(webhook.body);
    });
  }
}

interface Answer {
  statusCode: number;
  location?: string;
  retryAfter?: string;
  /** The beginning of the body, read only for failed answers. */
  excerpt: string;
}

/** Status and headers; for a failed answer also the first bytes of the body. A success's body is not read. */
function readAnswer(response: IncomingMessage): Promise<Answer> {
  const statusCode = response.statusCode ?? 0;
  const header = (name: string): string | undefined => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const answer = { statusCode, location: header('location'), retryAfter: header('retry-after'), excerpt: '' };
  if (statusCode >= 200 && statusCode < 300) return Promise.resolve(answer);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = () =>
      resolve({ ...answer, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY_BYTES) });
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= MAX_ERROR_BODY_BYTES) done();
    });
    response.on('end', done);
    response.on('error', reject);
  });
}

function describeFailure({ statusCode, location, excerpt }: Answer): string | null {
  if (statusCode >= 200 && statusCode < 300) return null;
  if (statusCode >= 300 && statusCode < 400) {
    return `HTTP ${statusCode}: redirect${location ? ` to ${location}` : ''} not followed`;
  }
  const body = excerpt.replace(/\s+/g, ' ').trim();
  return body ? `HTTP ${statusCode}: ${body}` : `HTTP ${statusCode}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
