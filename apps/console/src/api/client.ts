import createClient, { Middleware } from 'openapi-fetch';
import type { paths as IngestPaths } from './generated/ingest';
import type { paths as PortalPaths } from './generated/portal';

export type { components as PortalSchemas } from './generated/portal';
export type { components as IngestSchemas } from './generated/ingest';

/** Ingest's report routes, forwarded by the portal on the same origin (apps/portal/src/console). */
export const INGEST_PREFIX = '/ingest';

/** The readable half of the CSRF double submit (docs/sessions.md). */
export function csrfToken(): string {
  const found = document.cookie.split('; ').find((cookie) => cookie.startsWith('vigia_csrf='));
  return found ? decodeURIComponent(found.slice('vigia_csrf='.length)) : '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken());
    return request;
  },
};

/** A failed call: the API's message (`{ message }`) when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const portal = createClient<PortalPaths>({ baseUrl: '', credentials: 'same-origin' });
portal.use(csrf);
export const ingest = createClient<IngestPaths>({ baseUrl: INGEST_PREFIX, credentials: 'same-origin' });
ingest.use(csrf);

/** The data of an openapi-fetch answer, or an ApiError carrying the API's message. */
export function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  throw new ApiError(answer.response.status, messageOf(answer.error) ?? answer.response.statusText);
}

/** For answers without a body (204). */
export function okOf(answer: { error?: unknown; response: Response }): void {
  if (!answer.response.ok) {
    throw new ApiError(answer.response.status, messageOf(answer.error) ?? answer.response.statusText);
  }
}

/** The API's message, followed by each problem it listed (`details`: one per field). */
function messageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
  const { message, details } = error as { message: unknown; details?: unknown };
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
  if (!Array.isArray(details) || details.length === 0) return text;
  const problems = details.map((detail) =>
    typeof detail === 'object' && detail !== null ? Object.values(detail).map(String).join(': ') : String(detail),
  );
  return `${text ?? ''} (${problems.join('; ')})`;
}
