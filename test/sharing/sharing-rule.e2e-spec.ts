import { randomUUID } from 'node:crypto';
import { OrganisationStatus } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { SharingScope, Viewer, maySee, maySeeSql } from '@vigia/sharing';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { TestContext, createTestContext } from '../support/test-context';

/**
 * The one sharing rule, case by case, against both of its forms: `maySee` in TypeScript and `maySeeSql` evaluated by
 * PostgreSQL over real organisations rows. Expected results are written out below, never computed by the rule.
 */

/** The organisations of the test world. `outsider` has no organisations row at all. */
type Party =
  | 'owner'
  | 'recipient'
  | 'secondRecipient'
  | 'member'
  | 'suspendedMember'
  | 'suspendedRecipient'
  | 'suspendedOwner'
  | 'outsider';

const STATUS: Record<Party, OrganisationStatus | undefined> = {
  owner: OrganisationStatus.Active,
  recipient: OrganisationStatus.Active,
  secondRecipient: OrganisationStatus.Active,
  member: OrganisationStatus.Active,
  suspendedMember: OrganisationStatus.Suspended,
  suspendedRecipient: OrganisationStatus.Suspended,
  suspendedOwner: OrganisationStatus.Suspended,
  outsider: undefined,
};

/** Who looks, in the column order of the table. */
const ROLES = [
  'active owner',
  'listed recipient',
  'active member, not listed',
  'suspended member, not listed',
  'suspended listed recipient',
  'suspended owner',
  'outsider',
] as const;
type Role = (typeof ROLES)[number];

type Audience = 'network' | 'one recipient' | 'two recipients';

/**
 * The scope and viewer of a role. The scope belongs to `owner` (to `suspendedOwner` when the suspended owner looks).
 * A restricted list names `recipient` (`suspendedRecipient` when the suspended listed recipient looks), after
 * `secondRecipient` when it names two, so the listed viewer is never only the first element.
 */
function setting(role: Role, audience: Audience): { viewer: Party; owner: Party; recipients: Party[] } {
  const owner: Party = role === 'suspended owner' ? 'suspendedOwner' : 'owner';
  const listed: Party = role === 'suspended listed recipient' ? 'suspendedRecipient' : 'recipient';
  const recipients: Party[] =
    audience === 'network' ? [] : audience === 'one recipient' ? [listed] : ['secondRecipient', listed];
  const viewer: Record<Role, Party> = {
    'active owner': 'owner',
    'listed recipient': 'recipient',
    'active member, not listed': 'member',
    'suspended member, not listed': 'suspendedMember',
    'suspended listed recipient': 'suspendedRecipient',
    'suspended owner': 'suspendedOwner',
    outsider: 'outsider',
  };
  return { viewer: viewer[role], owner, recipients };
}

/** A role as named in a case: in a network scope nothing is listed, so "listed" recipients are plain members. */
const label = (role: Role, audience: Audience): string =>
  audience === 'network' ? role.replace('listed recipient', 'recipient (nothing listed)') : role;

const Y = true;
const N = false;

// One row per level and audience; one column per role, in ROLES order. In a network scope the "listed recipient"
// columns are simply members (nothing is listed). The level never changes who sees: TLP says what a recipient may
// do with it, the audience says who receives it; except that TLP:RED names its recipients, and without any stays with
// its owner (ingest refuses it, so that row is a safety net).
// prettier-ignore
const TABLE: [TlpLevel, Audience, boolean[]][] = [
  //                                          owner recip member suspM suspR suspO outsider
  [TlpLevel.Clear,       'network',          [Y,    Y,    Y,     N,    N,    N,    N]],
  [TlpLevel.Clear,       'one recipient',    [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Clear,       'two recipients',   [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Green,       'network',          [Y,    Y,    Y,     N,    N,    N,    N]],
  [TlpLevel.Green,       'one recipient',    [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Green,       'two recipients',   [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Amber,       'network',          [Y,    Y,    Y,     N,    N,    N,    N]],
  [TlpLevel.Amber,       'one recipient',    [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Amber,       'two recipients',   [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.AmberStrict, 'network',          [Y,    Y,    Y,     N,    N,    N,    N]],
  [TlpLevel.AmberStrict, 'one recipient',    [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.AmberStrict, 'two recipients',   [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Red,         'network',          [Y,    N,    N,     N,    N,    N,    N]],
  [TlpLevel.Red,         'one recipient',    [Y,    Y,    N,     N,    N,    N,    N]],
  [TlpLevel.Red,         'two recipients',   [Y,    Y,    N,     N,    N,    N,    N]],
];

interface Case {
  name: string;
  level: TlpLevel;
  audience: Audience;
  role: Role;
}

const CASES: (Case & { expected: boolean })[] = TABLE.flatMap(([level, audience, row]) => {
  if (row.length !== ROLES.length) throw new Error(`${level} ${audience}: ${row.length} columns for ${ROLES.length}`);
  return ROLES.map((role, index) => ({
    name: `${level}, ${audience}: ${label(role, audience)} ${row[index] ? 'sees' : 'does not see'}`,
    level,
    audience,
    role,
    expected: row[index]!,
  }));
});

describe('sharing rule: maySee and maySeeSql agree with the table', () => {
  let context: TestContext;
  const ids = {} as Record<Party, string>;

  beforeAll(async () => {
    context = await createTestContext();
    for (const party of Object.keys(STATUS) as Party[]) {
      const status = STATUS[party];
      ids[party] = status ? (await createOrganisation(context.dataSource, { status })).id : randomUUID();
    }
  });

  afterAll(async () => {
    await context?.cleanup();
  });

  /** The rule's answer for a case of the table. */
  async function judge({ level, audience, role }: Case): Promise<{ maySee: boolean; maySeeSql: boolean | null }> {
    const parties = setting(role, audience);
    const viewer: Viewer = {
      organisationId: ids[parties.viewer],
      active: STATUS[parties.viewer] === OrganisationStatus.Active,
    };
    const scope: SharingScope = {
      ownerId: ids[parties.owner],
      tlp: level,
      recipients: parties.recipients.map((party) => ids[party]),
    };
    return evaluate(viewer, scope);
  }

  /** The rule's answer in TypeScript and in SQL. */
  async function evaluate(
    viewer: Viewer,
    scope: SharingScope,
  ): Promise<{ maySee: boolean; maySeeSql: boolean | null }> {
    const row = { owner: scope.ownerId, tlp: scope.tlp, recipients: [...scope.recipients] };
    return { maySee: maySee(viewer, scope), maySeeSql: await visibleInSql(viewer.organisationId, row) };
  }

  /** `maySeeSql` over a one-row derived table carrying the scope's columns (the owner may be NULL, as stored). */
  async function visibleInSql(
    viewerId: string,
    row: { owner: string | null; tlp: TlpLevel; recipients: string[] },
  ): Promise<boolean | null> {
    const rows: { visible: boolean | null }[] = await context.dataSource.query(
      `SELECT ${maySeeSql('s', '$1')} AS visible
         FROM (SELECT $2::uuid AS audience_owner, $3::text AS tlp, $4::uuid[] AS tlp_recipients) s`,
      [viewerId, row.owner, row.tlp, row.recipients],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.visible;
  }

  it('has one case per level, audience and role', () => {
    expect(CASES).toHaveLength(5 * 3 * ROLES.length);
    expect(new Set(CASES.map((testCase) => testCase.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', async (testCase) => {
    expect(await judge(testCase)).toEqual({ maySee: testCase.expected, maySeeSql: testCase.expected });
  });

  // Suspended is not the only status short of active: organisations still being onboarded, or turned down, see
  // nothing either, even when listed.
  it.each([OrganisationStatus.Applicant, OrganisationStatus.Vetting, OrganisationStatus.Rejected])(
    'an organisation with status %s sees nothing, even listed',
    async (status) => {
      const viewer: Viewer = {
        organisationId: (await createOrganisation(context.dataSource, { status })).id,
        active: false,
      };
      for (const recipients of [[], [viewer.organisationId], [ids.recipient, viewer.organisationId]]) {
        const scope: SharingScope = { ownerId: ids.owner, tlp: TlpLevel.Amber, recipients };
        expect(await evaluate(viewer, scope)).toEqual({ maySee: false, maySeeSql: false });
      }
    },
  );

  // Objects of the network audience are stored without an owner (audience_owner NULL): the predicate still answers
  // true or false (never NULL) by the table's network row, the owner column aside.
  it.each([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber])(
    '%s network object with no audience_owner: every active member and only them',
    async (tlp) => {
      const row = { owner: null, tlp, recipients: [] };
      const seen: Partial<Record<Party, boolean | null>> = {};
      for (const party of ['owner', 'member', 'suspendedMember', 'suspendedOwner', 'outsider'] as const) {
        seen[party] = await visibleInSql(ids[party], row);
      }
      expect(seen).toEqual({
        owner: true,
        member: true,
        suspendedMember: false,
        suspendedOwner: false,
        outsider: false,
      });
    },
  );
});
