/** The Redis stream of one organisation's warnings: `<REDIS_PREFIX>:stream:org:<organisationId>`. */
export const warningStreamKey = (prefix: string, organisationId: string): string =>
  `${prefix}:stream:org:${organisationId}`;

/** The sorted set of one organisation's open SSE connections (member = connection id, score = last seen). */
export const streamConnectionsKey = (prefix: string, organisationId: string): string =>
  `${prefix}:stream:connections:org:${organisationId}`;

/** Field names of a stream entry. */
export const STREAM_FIELD = { event: 'event', data: 'data' } as const;

const STREAM_ID = /^(\d{1,15})-(\d{1,15})$/;

/** True for a Redis stream entry id (`<milliseconds>-<sequence>`), the SSE event id clients resume from. */
export const isStreamId = (text: string): boolean => STREAM_ID.test(text);

/** Orders two stream ids: negative when `a` is older than `b`. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** Incremented by the portal on every subscription change; the worker rebuilds its matching index when it moves. */
export const subscriptionsVersionKey = (prefix: string): string => `${prefix}:subscriptions:version`;

/**
 * The Redis pub/sub channel on which the portal announces an organisation's status change (message: its
 * `OrganisationStatusNotice` JSON), so every portal instance ends a suspended member's open streams at once.
 */
export const organisationStatusChannel = (prefix: string): string => `${prefix}:organisations:status`;

/** A message of `organisationStatusChannel`. */
export interface OrganisationStatusNotice {
  organisation_id: string;
  status: string;
}
