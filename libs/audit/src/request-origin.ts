import { isIP } from 'node:net';
import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/** Where a request came from, as the audit log keeps it: the client's address and the request id (`x-request-id`). */
export interface RequestOrigin {
  address: string | null;
  requestId: string | null;
}

/** An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as its IPv4 address; anything not an IP address as null. */
function addressOf(raw: string | undefined): string | null {
  const address = raw?.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  return address && isIP(address) ? address : null;
}

/**
 * The origin of an Express request: `request.ip` (which honours the app's `trust proxy` setting) and the id the
 * logging middleware gave it (`x-request-id`, echoed in the answer and in every log line of the request).
 */
export function requestOriginOf(request: Request & { id?: unknown }): RequestOrigin {
  const id = request.id;
  return {
    address: addressOf(request.ip ?? request.socket?.remoteAddress),
    requestId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
  };
}

/** The request's origin for `AuditLog.record` (controllers pass it on to their service). */
export const CurrentOrigin = createParamDecorator((_: unknown, context: ExecutionContext): RequestOrigin =>
  requestOriginOf(context.switchToHttp().getRequest<Request & { id?: unknown }>()),
);
