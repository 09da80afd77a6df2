import { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { inAllowedNetwork, refusedAddressReason } from './address-ranges';

const MAX_URL_LENGTH = 2048;
const DNS_TIMEOUT_MS = 5000;

/** A webhook URL that passed the policy, with the address checked, which is the one to connect to. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type WebhookUrlCheck = { ok: true; target: WebhookTarget } | { ok: false; reasons: string[] };

/**
 * The one SSRF policy for webhooks, applied when a subscription is saved and again before every delivery attempt
 * (DNS may have changed since). A URL passes when:
 * - its scheme is https (or http when `WEBHOOK_ALLOW_HTTP`), it carries no credentials and is at most 2048 long;
 *   any port is accepted, since receivers commonly listen on 8443 and the like;
 * - EVERY address its host resolves to is public (global unicast), unless the host is in `WEBHOOK_ALLOWED_HOSTS`
 *   or the address is in `WEBHOOK_ALLOWED_CIDRS`.
 * The sender then connects to the checked address (see `pinnedLookup`), so a second, different DNS answer
 * (rebinding) is never used.
 */
@Injectable()
export class WebhookUrlPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async check(rawUrl: string): Promise<WebhookUrlCheck> {
    const { url, reasons } = this.checkShape(rawUrl);
    if (!url) return { ok: false, reasons };
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(hostname) !== 0;
    let addresses: LookupAddress[];
    try {
      addresses = literal ? [{ address: hostname, family: isIP(hostname) }] : await this.lookup(hostname);
    } catch (error) {
      return { ok: false, reasons: [...reasons, `host ${hostname} does not resolve (${describeDnsError(error)})`] };
    }
    if (addresses.length === 0) return { ok: false, reasons: [...reasons, `host ${hostname} has no address`] };
    if (!this.config.webhooks.allowedHosts.includes(hostname.toLowerCase())) {
      for (const { address } of addresses) {
        const refused = this.refusedReason(address);
        if (!refused) continue;
        const what = literal ? `${address} is ${refused}` : `${hostname} resolves to ${address}, ${refused}`;
        reasons.push(`${what}; webhooks may only target public addresses`);
      }
    }
    if (reasons.length > 0) return { ok: false, reasons };
    const [first] = addresses;
    return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
  }

  /** Scheme, credentials and length: what can be told from the text alone. */
  private checkShape(rawUrl: string): { url?: URL; reasons: string[] } {
    if (rawUrl.length > MAX_URL_LENGTH) return { reasons: [`URL is longer than ${MAX_URL_LENGTH} characters`] };
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { reasons: ['not a valid absolute URL'] };
    }
    const reasons: string[] = [];
    const schemes = this.config.webhooks.allowHttp ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol)) {
      const allowed = this.config.webhooks.allowHttp ? 'https or http' : 'https';
      reasons.push(`scheme must be ${allowed}, not ${url.protocol.slice(0, -1)}`);
    }
    if (url.username || url.password) reasons.push('URL must not carry credentials; authenticate by the signature');
    if (url.hostname === '') reasons.push('URL has no host');
    return { url: url.hostname === '' ? undefined : url, reasons };
  }

  private refusedReason(address: string): string | undefined {
    if (inAllowedNetwork(address, this.config.webhooks.allowedCidrs)) return undefined;
    return refusedAddressReason(address);
  }

  private lookup(hostname: string): Promise<LookupAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DNS_TIMEOUT_MS} ms`)), DNS_TIMEOUT_MS);
    });
    return Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]).finally(() => clearTimeout(timer));
  }
}

const describeDnsError = (error: unknown): string =>
  (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
