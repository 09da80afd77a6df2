import { SharingScope, Viewer, maySee, storedScope } from './sharing';

/** One organisation's statement about a value, with the scope it was shared under. */
export interface ScopedStatement {
  organisationId: string;
  type: string;
  value: string;
  tlp: string;
  /** The owner of a restricted audience; null for the network audience. */
  audienceOwner: string | null;
  recipients: readonly string[];
  firstSeen: Date;
  lastSeen: Date;
}

/** What a viewer may know of a value across the network: only from statements it may see. */
export interface VisibleFigures {
  orgCount: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
}

const scopeOf = (statement: ScopedStatement): SharingScope =>
  storedScope(statement.audienceOwner ?? statement.organisationId, statement.tlp, statement.recipients);

/** The figures of a value (`type`, `value`) that `viewer` may know, from every audience's statements about it. */
export function visibleFigures(
  statements: readonly ScopedStatement[],
  { type, value }: { type: string; value: string },
  viewer: Viewer,
): VisibleFigures {
  const organisations = new Set<string>();
  let firstSeen: Date | null = null;
  let lastSeen: Date | null = null;
  for (const statement of statements) {
    if (statement.value !== value || statement.type !== type || !maySee(viewer, scopeOf(statement))) continue;
    organisations.add(statement.organisationId);
    if (firstSeen === null || statement.firstSeen < firstSeen) firstSeen = statement.firstSeen;
    if (lastSeen === null || statement.lastSeen > lastSeen) lastSeen = statement.lastSeen;
  }
  return { orgCount: organisations.size, firstSeen, lastSeen };
}
