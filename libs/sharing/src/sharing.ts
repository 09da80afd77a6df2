import { TlpLevel, isTlpLevel } from '@vigia/indicators';
import { v5 as uuidV5 } from 'uuid';

/**
 * What a report (and every object built from it) is shared under: the TLP 2.0 level, which says what recipients may
 * do with it, and the audience, which says who receives it: the whole network (`recipients` empty) or the listed
 * member organisations. The owner (the reporting organisation) is always in its own audience.
 */
export interface SharingScope {
  ownerId: string;
  tlp: TlpLevel;
  /** Empty: the whole network. Otherwise the member organisations it was shared with (required for RED). */
  recipients: readonly string[];
}

/**
 * A scope as stored (the level as text): an unknown level is read as TLP:RED, so a corrupt row is never shared
 * wider than its recipients.
 */
export const storedScope = (ownerId: string, tlp: string, recipients: readonly string[]): SharingScope => ({
  ownerId,
  tlp: isTlpLevel(tlp) ? tlp : TlpLevel.Red,
  recipients,
});

/** Who is looking: an organisation and whether it is a member in good standing (active). */
export interface Viewer {
  organisationId: string;
  active: boolean;
}

/** The key of the network audience: every member, CLEAR, GREEN or AMBER, whoever reported. */
export const NETWORK_AUDIENCE = 'network';

const NETWORK_LEVELS: ReadonlySet<TlpLevel> = new Set([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber]);
/** Namespace of restricted audience keys (UUIDv5 of owner, level and recipients). */
const AUDIENCE_NAMESPACE = '6f1d2c8e-3b47-4a95-8e0c-5d7a9f1b2e63';

/** A network-wide scope whose level lets it join the one network object of a value. */
export const isNetworkAudience = (scope: Pick<SharingScope, 'tlp' | 'recipients'>): boolean =>
  scope.recipients.length === 0 && NETWORK_LEVELS.has(scope.tlp);

/**
 * The audience an object belongs to. Objects are kept per (value, audience): the network audience for CLEAR, GREEN
 * and AMBER shared with everyone, and one restricted audience per distinct owner, level and recipient set (AMBER+STRICT
 * shared with the whole network included), so a restricted report never touches an object others see.
 */
export function audienceKeyOf(scope: SharingScope): string {
  if (isNetworkAudience(scope)) return NETWORK_AUDIENCE;
  const owner = scope.ownerId.toLowerCase();
  // The owner is always in its own audience: listing it changes nothing, so it does not change the key. An empty
  // list (the whole network) and a list naming only the owner (nobody else) must not share a key: `*` is the network.
  const recipients =
    scope.recipients.length === 0
      ? '*'
      : [...new Set(scope.recipients.map((id) => id.toLowerCase()))]
          .filter((id) => id !== owner)
          .sort()
          .join(',');
  return `aud-${uuidV5(`${owner}|${scope.tlp}|${recipients}`, AUDIENCE_NAMESPACE)}`;
}

/**
 * May `viewer` see what was shared under `scope`? Only active members see anything; then the owner, everyone for a
 * network-wide scope, and the listed recipients for a restricted one. TLP:RED names its recipients: without any it
 * stays with its owner. The SQL twin is `maySeeSql`.
 */
export function maySee(viewer: Viewer, scope: SharingScope): boolean {
  if (!viewer.active) return false;
  // Organisation ids are UUIDs: compared as PostgreSQL does, whatever their case.
  const id = viewer.organisationId.toLowerCase();
  if (id === scope.ownerId.toLowerCase()) return true;
  if (scope.recipients.length === 0) return scope.tlp !== TlpLevel.Red;
  return scope.recipients.some((recipient) => recipient.toLowerCase() === id);
}

/** A channel warnings leave through. */
export interface Channel {
  /**
   * It reaches named people of the organisation (not a feed into other systems), and its owner said it accepts
   * TLP:RED.
   */
  acceptsRed: boolean;
}

/** May it go to `viewer` through `channel`? What it may see, and RED only where the channel accepts RED. */
export const mayReceive = (viewer: Viewer, scope: SharingScope, channel: Channel): boolean =>
  maySee(viewer, scope) && (scope.tlp !== TlpLevel.Red || channel.acceptsRed);

/**
 * `maySee` in SQL, for rows that carry a scope: `alias.audience_owner` (uuid), `alias.tlp` (text), `alias.tlp_recipients`
 * (uuid[]), and a viewer given as the parameter `viewer` (e.g. `$1`) whose organisation must be active. Every query
 * that returns shared objects to a member uses this predicate.
 */
export const maySeeSql = (alias: string, viewer: string): string =>
  `(EXISTS (SELECT 1 FROM organisations sharing_viewer
             WHERE sharing_viewer.id = ${viewer}::uuid AND sharing_viewer.status = 'active')
    AND (${alias}.audience_owner IS NOT DISTINCT FROM ${viewer}::uuid
         OR (cardinality(${alias}.tlp_recipients) = 0 AND ${alias}.tlp IS DISTINCT FROM 'red')
         OR COALESCE(${viewer}::uuid = ANY (${alias}.tlp_recipients), false)))`;

/** Who a scope reaches: every active member (`all`), or these organisations. */
const membersOf = (scope: SharingScope): 'all' | Set<string> => {
  if (scope.recipients.length === 0) return scope.tlp === TlpLevel.Red ? new Set([scope.ownerId.toLowerCase()]) : 'all';
  return new Set([scope.ownerId, ...scope.recipients].map((id) => id.toLowerCase()));
};

/**
 * May everyone who may see what was shared under `outer` also see what was shared under `inner`? A figure shown with
 * an object (its score, its sighting and feedback counts) may count a statement only then: otherwise it would tell
 * some of the object's viewers about a statement they may not see. The SQL twin is `seenByEveryoneWhoSeesSql`.
 */
export function seenByEveryoneWhoSees(inner: SharingScope, outer: SharingScope): boolean {
  const innerMembers = membersOf(inner);
  if (innerMembers === 'all') return true;
  const outerMembers = membersOf(outer);
  if (outerMembers === 'all') return false;
  return [...outerMembers].every((id) => innerMembers.has(id));
}

/**
 * `seenByEveryoneWhoSees` in SQL. `inner` and `outer` are aliases of rows with `tlp` and `tlp_recipients`; the owner of
 * each is given as an expression (`innerOwner`, `outerOwner`), as a network audience's rows store no owner.
 */
export const seenByEveryoneWhoSeesSql = (
  inner: string,
  innerOwner: string,
  outer: string,
  outerOwner: string,
): string =>
  `((cardinality(${inner}.tlp_recipients) = 0 AND ${inner}.tlp IS DISTINCT FROM 'red')
    OR (cardinality(${outer}.tlp_recipients) = 0 AND ${outer}.tlp = 'red'
        AND ${outerOwner} = ANY (ARRAY[${innerOwner}]::uuid[] || ${inner}.tlp_recipients))
    OR (cardinality(${outer}.tlp_recipients) > 0
        AND (ARRAY[${outerOwner}]::uuid[] || ${outer}.tlp_recipients) <@ (ARRAY[${innerOwner}]::uuid[] || ${inner}.tlp_recipients)))`;
