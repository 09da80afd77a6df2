import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseReader } from '../database-reader';
import { NewAuditEvent } from '../entities/audit-event.rows';
import {
  ConstituencyOwner,
  DirectoryContact,
  DirectoryEntry,
  DirectoryEntryInput,
  DirectoryOrganisation,
  DirectoryOwners,
  DirectoryPage,
  DirectorySearch,
  LookupQuery,
  OrganisationConstituency,
} from '../entities/directory.rows';
import { OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { Constituency } from '../entities/subscription.rows';
import { appendAuditEvents } from './audit.repository';
import { SqlExecutor } from './sql-executor';

/** A TypeORM executor (entity manager, query runner or data source): its `query` answers the rows of a SELECT. */
type RowReader = Pick<EntityManager, 'query'>;

interface OrganisationRecord {
  id: string;
  name: string;
  short_name: string;
  kind: OrganisationKind;
  country_code: string | null;
  sector: string | null;
  status: OrganisationStatus;
  website: string | null;
  mandate: string | null;
  description: string | null;
  entry_updated_at: Date | null;
}

interface ContactRecord {
  id: string;
  organisation_id: string;
  name: string;
  role: string;
  email: string;
  phone: string;
  pgp_fingerprint: string | null;
  pgp_expires_at: Date | null;
  time_zone: string;
  languages: string[];
  hours: string;
  last_confirmed_at: Date | null;
  requested_at?: Date | null;
  request_expires_at?: Date | null;
  request_confirmed_at?: Date | null;
}

/** A contact as `json_build_object` gives it: timestamps as text. */
type ContactJson = Omit<ContactRecord, 'pgp_expires_at' | 'last_confirmed_at'> & {
  pgp_expires_at: string | null;
  last_confirmed_at: string | null;
};

const dateOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));

interface ConstituencyRecord {
  organisation_id: string;
  cidrs: string[] | null;
  asns: string[] | null;
  domains: string[] | null;
}

const ORGANISATION_COLUMNS = `o.id, o.name, o.short_name, o.kind, o.country_code, o.sector, o.status,
  e.website, e.mandate, e.description, e.updated_at AS entry_updated_at`;

/**
 * Replaces an organisation's directory entry (profile, 24/7 contacts, constituency) in the caller's transaction
 * (`executor` runs inside it), so another repository (onboarding's approval) can write an entry with its own change.
 * Contacts are matched by e-mail address (case-insensitive): a kept address keeps its id and last confirmation;
 * contacts no longer listed are deleted. Input must already be validated and canonical.
 */
export async function writeDirectoryEntry(
  executor: SqlExecutor,
  organisationId: string,
  input: DirectoryEntryInput,
): Promise<void> {
  const { profile, contacts, constituency } = input;
  await executor.query(
    `INSERT INTO directory_entries (organisation_id, website, mandate, description)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (organisation_id) DO UPDATE
       SET website = EXCLUDED.website, mandate = EXCLUDED.mandate, description = EXCLUDED.description,
           updated_at = now()`,
    [organisationId, profile.website, profile.mandate, profile.description],
  );

  await executor.query(
    `DELETE FROM directory_contacts WHERE organisation_id = $1 AND lower(email) <> ALL($2::text[])`,
    [organisationId, contacts.map((contact) => contact.email.toLowerCase())],
  );
  if (contacts.length > 0) {
    // Languages travel comma-joined: unnest cannot take one array per row, and ISO 639-1 codes hold no comma. A
    // contact whose key is left out keeps the key stored for its address.
    await executor.query(
      `INSERT INTO directory_contacts (organisation_id, position, name, role, email, phone, pgp_public_key,
                                       pgp_fingerprint, pgp_expires_at, time_zone, languages, hours)
       SELECT $1, c.position, c.name, c.role, c.email, c.phone,
              CASE WHEN c.keep_key THEN stored.pgp_public_key ELSE c.pgp_public_key END,
              CASE WHEN c.keep_key THEN stored.pgp_fingerprint ELSE c.pgp_fingerprint END,
              CASE WHEN c.keep_key THEN stored.pgp_expires_at ELSE c.pgp_expires_at END,
              c.time_zone, string_to_array(c.languages, ','), c.hours
         FROM unnest($2::smallint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[],
                     $9::text[], $10::timestamptz[], $11::text[], $12::text[], $13::text[])
              AS c(position, name, role, email, phone, keep_key, pgp_public_key, pgp_fingerprint, pgp_expires_at,
                   time_zone, languages, hours)
         LEFT JOIN directory_contacts stored ON stored.organisation_id = $1 AND lower(stored.email) = lower(c.email)
       ON CONFLICT (organisation_id, lower(email)) DO UPDATE
         SET position = EXCLUDED.position, name = EXCLUDED.name, role = EXCLUDED.role, email = EXCLUDED.email,
             phone = EXCLUDED.phone, pgp_public_key = EXCLUDED.pgp_public_key,
             pgp_fingerprint = EXCLUDED.pgp_fingerprint, pgp_expires_at = EXCLUDED.pgp_expires_at,
             time_zone = EXCLUDED.time_zone, languages = EXCLUDED.languages, hours = EXCLUDED.hours,
             updated_at = now()`,
      [
        organisationId,
        contacts.map((_, index) => index),
        contacts.map((contact) => contact.name),
        contacts.map((contact) => contact.role),
        contacts.map((contact) => contact.email),
        contacts.map((contact) => contact.phone),
        contacts.map((contact) => contact.pgpKey === undefined),
        contacts.map((contact) => contact.pgpKey?.armored ?? null),
        contacts.map((contact) => contact.pgpKey?.fingerprint ?? null),
        contacts.map((contact) => contact.pgpKey?.expiresAt ?? null),
        contacts.map((contact) => contact.timeZone),
        contacts.map((contact) => contact.languages.join(',')),
        contacts.map((contact) => contact.hours),
      ],
    );
  }

  await executor.query(`DELETE FROM directory_networks WHERE organisation_id = $1`, [organisationId]);
  await executor.query(
    `INSERT INTO directory_networks (organisation_id, network)
     SELECT $1, n FROM unnest($2::cidr[]) AS n ON CONFLICT DO NOTHING`,
    [organisationId, constituency.cidrs],
  );
  await executor.query(`DELETE FROM directory_asns WHERE organisation_id = $1`, [organisationId]);
  await executor.query(
    `INSERT INTO directory_asns (organisation_id, asn)
     SELECT $1, a FROM unnest($2::bigint[]) AS a ON CONFLICT DO NOTHING`,
    [organisationId, constituency.asns],
  );
  await executor.query(`DELETE FROM directory_domains WHERE organisation_id = $1`, [organisationId]);
  await executor.query(
    `INSERT INTO directory_domains (organisation_id, domain)
     SELECT $1, d FROM unnest($2::text[]) AS d ON CONFLICT DO NOTHING`,
    [organisationId, constituency.domains],
  );
}

/** The entries of these organisations (any status), in the order of `organisationIds`; missing ones are left out. */
export async function readDirectoryEntries(
  reader: RowReader,
  organisationIds: readonly string[],
): Promise<DirectoryEntry[]> {
  if (organisationIds.length === 0) return [];
  const organisations = (await reader.query(
    `SELECT ${ORGANISATION_COLUMNS}
       FROM organisations o LEFT JOIN directory_entries e ON e.organisation_id = o.id
      WHERE o.id = ANY($1::uuid[])`,
    [organisationIds],
  )) as OrganisationRecord[];
  const byId = new Map(organisations.map((organisation) => [organisation.id, organisation]));
  const ordered = organisationIds.flatMap((id) => byId.get(id) ?? []);
  return assembleEntries(reader, ordered);
}

/** Contacts and constituencies of these organisations, read in three statements whatever their number. */
async function assembleEntries(reader: RowReader, organisations: OrganisationRecord[]): Promise<DirectoryEntry[]> {
  if (organisations.length === 0) return [];
  const ids = organisations.map((organisation) => organisation.id);
  const contacts = (await reader.query(
    `SELECT c.id, c.organisation_id, c.name, c.role, c.email, c.phone, c.pgp_fingerprint, c.pgp_expires_at,
            c.time_zone, c.languages, c.hours, c.last_confirmed_at, r.requested_at,
            r.expires_at AS request_expires_at, r.confirmed_at AS request_confirmed_at
       FROM directory_contacts c
       LEFT JOIN LATERAL (
         SELECT requested_at, expires_at, confirmed_at FROM directory_contact_confirmations
          WHERE contact_id = c.id ORDER BY requested_at DESC LIMIT 1
       ) r ON true
      WHERE c.organisation_id = ANY($1::uuid[])
      ORDER BY c.organisation_id, c.position`,
    [ids],
  )) as ContactRecord[];
  const constituencies = await constituenciesOf(reader, ids);
  const contactsOf = new Map<string, DirectoryContact[]>();
  for (const record of contacts) {
    const list = contactsOf.get(record.organisation_id) ?? [];
    list.push(toContact(record));
    contactsOf.set(record.organisation_id, list);
  }
  return organisations.map((record) => ({
    organisation: toOrganisation(record),
    profile: { website: record.website, mandate: record.mandate, description: record.description },
    updatedAt: record.entry_updated_at,
    contacts: contactsOf.get(record.id) ?? [],
    constituency: constituencies.get(record.id) ?? { cidrs: [], asns: [], domains: [] },
  }));
}

/** Constituencies by organisation; `ids` null reads those of every active organisation. */
async function constituenciesOf(reader: RowReader, ids: readonly string[] | null): Promise<Map<string, Constituency>> {
  const records = (await reader.query(
    `WITH owners AS (
       SELECT id FROM organisations
        WHERE CASE WHEN $1::uuid[] IS NULL THEN status = 'active' ELSE id = ANY($1::uuid[]) END
     )
     SELECT w.id AS organisation_id,
            (SELECT array_agg(n.network::text ORDER BY n.network) FROM directory_networks n
              WHERE n.organisation_id = w.id) AS cidrs,
            (SELECT array_agg(a.asn ORDER BY a.asn) FROM directory_asns a WHERE a.organisation_id = w.id) AS asns,
            (SELECT array_agg(d.domain ORDER BY d.domain) FROM directory_domains d
              WHERE d.organisation_id = w.id) AS domains
       FROM owners w`,
    [ids],
  )) as ConstituencyRecord[];
  return new Map(
    records.map((record) => [
      record.organisation_id,
      { cidrs: record.cidrs ?? [], asns: (record.asns ?? []).map(Number), domains: record.domains ?? [] },
    ]),
  );
}

const toOrganisation = (record: OrganisationRecord): DirectoryOrganisation => ({
  id: record.id,
  name: record.name,
  shortName: record.short_name,
  kind: record.kind,
  countryCode: record.country_code,
  sector: record.sector,
  status: record.status,
});

const toContact = (record: ContactRecord): DirectoryContact => ({
  id: record.id,
  name: record.name,
  role: record.role,
  email: record.email,
  phone: record.phone,
  pgpFingerprint: record.pgp_fingerprint,
  pgpExpiresAt: record.pgp_expires_at,
  timeZone: record.time_zone,
  languages: record.languages,
  hours: record.hours,
  lastConfirmedAt: record.last_confirmed_at,
  ...(record.requested_at === undefined
    ? {}
    : {
        latestRequest:
          record.requested_at === null
            ? null
            : {
                requestedAt: record.requested_at,
                expiresAt: record.request_expires_at!,
                confirmedAt: record.request_confirmed_at ?? null,
              },
      }),
});

/** `%` and `_` taken literally in a LIKE pattern. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * The secured 24/7 directory: `directory_entries`, `directory_contacts`, and the constituency tables
 * `directory_networks`, `directory_asns`, `directory_domains`. Searches, lookups and exports answer active
 * organisations only; reads by id answer any organisation (the service decides who may see it). Reads given a
 * `viewerId` (the portal's) may run on the read replica (`DatabaseReader`); without one, on the primary.
 */
@Injectable()
export class DirectoryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Runs the portal's reads, for the organisation reading (`viewerId`), on the replica when it may answer. */
    private readonly reader: DatabaseReader = DatabaseReader.primaryOnly(dataSource),
  ) {}

  /**
   * The organisation's entry (empty when never written), or undefined when there is no such organisation; read for
   * `viewerId` when given (the portal), else on the primary.
   */
  async findEntry(organisationId: string, viewerId?: string): Promise<DirectoryEntry | undefined> {
    const [entry] = await this.reader.read(viewerId, (source) => readDirectoryEntries(source, [organisationId]));
    return entry;
  }

  /**
   * Replaces the entry and appends the audit event `auditOf` makes of it (from the entry before and after), in one
   * transaction that locks the organisation's row so concurrent edits apply one after the other. Undefined (and no
   * event) when there is no such organisation.
   */
  async write(
    organisationId: string,
    input: DirectoryEntryInput,
    auditOf: (before: DirectoryEntry, after: DirectoryEntry) => NewAuditEvent,
  ): Promise<DirectoryEntry | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const locked = (await manager.query(`SELECT id FROM organisations WHERE id = $1 FOR UPDATE`, [
        organisationId,
      ])) as { id: string }[];
      if (locked.length === 0) return undefined;
      const [before] = await readDirectoryEntries(manager, [organisationId]);
      await writeDirectoryEntry(manager, organisationId, input);
      const [after] = await readDirectoryEntries(manager, [organisationId]);
      if (!before || !after) return undefined;
      await appendAuditEvents(manager, [auditOf(before, after)]);
      return after;
    });
  }

  /** Active organisations matching `search`, by name, with their entries; read for `viewerId`. */
  async search(search: DirectorySearch, viewerId: string): Promise<DirectoryPage> {
    return this.reader.read(viewerId, (source) => this.searchOn(source, search));
  }

  private async searchOn(source: RowReader, search: DirectorySearch): Promise<DirectoryPage> {
    const records = (await source.query(
      `SELECT ${ORGANISATION_COLUMNS}, count(*) OVER () AS total
         FROM organisations o LEFT JOIN directory_entries e ON e.organisation_id = o.id
        WHERE o.status = 'active'
          AND ($1::text IS NULL OR o.country_code = $1)
          AND ($2::text IS NULL OR lower(o.sector) = lower($2))
          AND ($3::organisation_kind IS NULL OR o.kind = $3)
          AND ($4::text IS NULL OR o.name ILIKE '%' || $4 || '%' OR o.short_name ILIKE '%' || $4 || '%')
        ORDER BY o.name, o.id
        LIMIT $5 OFFSET $6`,
      [
        search.countryCode ?? null,
        search.sector ?? null,
        search.kind ?? null,
        search.name === undefined ? null : likeLiteral(search.name),
        search.limit,
        search.offset,
      ],
    )) as (OrganisationRecord & { total: string })[];
    const total = records[0] ? Number(records[0].total) : await this.countMatching(source, search);
    return { entries: await assembleEntries(source, records), total };
  }

  /** The total when the page is past the end (the window count needs at least one row). */
  private async countMatching(source: RowReader, search: DirectorySearch): Promise<number> {
    if (search.offset === 0) return 0;
    const { total } = await this.searchOn(source, { ...search, limit: 1, offset: 0 });
    return total;
  }

  /** Every active organisation's entry, by name (for exports); read for `viewerId`. */
  async listActive(viewerId: string): Promise<DirectoryEntry[]> {
    return this.reader.read(viewerId, async (source) => {
      const records = (await source.query(
        `SELECT ${ORGANISATION_COLUMNS}
           FROM organisations o LEFT JOIN directory_entries e ON e.organisation_id = o.id
          WHERE o.status = 'active'
          ORDER BY o.name, o.id`,
      )) as OrganisationRecord[];
      return assembleEntries(source, records);
    });
  }

  /** Active organisations whose most specific network holds `address` (canonical IPv4 or IPv6, or a network). */
  async ownersOfAddress(address: string, viewerId?: string): Promise<DirectoryOwners> {
    return this.owners(
      viewerId,
      `SELECT n.organisation_id, n.network::text AS matched, masklen(n.network) AS rank
         FROM directory_networks n WHERE n.network >>= $1::inet`,
      [address],
    );
  }

  /**
   * Active organisations holding the longest of `suffixes` (a canonical domain and each of its parent domains, e.g.
   * `a.b.example`, `b.example`, `example`).
   */
  async ownersOfDomain(suffixes: readonly string[], viewerId?: string): Promise<DirectoryOwners> {
    return this.owners(
      viewerId,
      `SELECT d.organisation_id, d.domain AS matched, length(d.domain) AS rank
         FROM directory_domains d WHERE d.domain = ANY($1::text[])`,
      [suffixes],
    );
  }

  /** Active organisations holding the AS number. */
  async ownersOfAsn(asn: number, viewerId?: string): Promise<DirectoryOwners> {
    return this.owners(
      viewerId,
      `SELECT a.organisation_id, a.asn::text AS matched, 0 AS rank FROM directory_asns a WHERE a.asn = $1`,
      [asn],
    );
  }

  /**
   * For each query (an address, a domain with its parents, an AS number), the active organisations whose constituency
   * in the directory holds it most specifically: the longest network or domain suffix. One statement for all. Read
   * for `viewerId` when given (the portal), else on the primary.
   */
  async ownersOfMany(queries: readonly LookupQuery[], viewerId?: string): Promise<Map<number, ConstituencyOwner[]>> {
    const addresses = queries.filter((q) => q.address !== undefined);
    const domains = queries.flatMap((q) => (q.suffixes ?? []).map((suffix) => ({ index: q.index, suffix })));
    const asns = queries.filter((q) => q.asn !== undefined);
    if (addresses.length + domains.length + asns.length === 0) return new Map();
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `WITH hits AS (
         SELECT q.i, n.organisation_id, n.network::text AS matched, masklen(n.network) AS rank
           FROM unnest($1::int[], $2::inet[]) AS q(i, address)
           JOIN directory_networks n ON n.network >>= q.address
         UNION ALL
         SELECT q.i, d.organisation_id, d.domain, length(d.domain)
           FROM unnest($3::int[], $4::text[]) AS q(i, suffix) JOIN directory_domains d ON d.domain = q.suffix
         UNION ALL
         SELECT q.i, a.organisation_id, a.asn::text, 0
           FROM unnest($5::int[], $6::bigint[]) AS q(i, asn) JOIN directory_asns a ON a.asn = q.asn
       ), active AS (
         SELECT h.*, o.name, max(h.rank) OVER (PARTITION BY h.i) AS best
           FROM hits h JOIN organisations o ON o.id = h.organisation_id AND o.status = 'active'
       )
       SELECT DISTINCT i, organisation_id, name, matched FROM active WHERE rank = best ORDER BY i, name`,
        [
          addresses.map((q) => q.index),
          addresses.map((q) => q.address),
          domains.map((d) => d.index),
          domains.map((d) => d.suffix),
          asns.map((q) => q.index),
          asns.map((q) => q.asn),
        ],
      ),
    )) as { i: number; organisation_id: string; name: string; matched: string }[];
    const owners = new Map<number, ConstituencyOwner[]>();
    for (const row of rows) {
      const list = owners.get(row.i) ?? [];
      list.push({ organisationId: row.organisation_id, name: row.name, matched: row.matched });
      owners.set(row.i, list);
    }
    return owners;
  }

  /**
   * The active organisations among `hits` (organisation_id, matched, rank) with the highest rank, each with its
   * profile and 24/7 contacts: one statement, as lookups are on the hot path.
   */
  private async owners(viewerId: string | undefined, hits: string, parameters: unknown[]): Promise<DirectoryOwners> {
    const records = (await this.reader.read(viewerId, (source) =>
      source.query(
        `WITH hits AS (
         SELECT h.* FROM (${hits}) h JOIN organisations o ON o.id = h.organisation_id AND o.status = 'active'
       ), best AS (
         SELECT DISTINCT organisation_id, matched FROM hits WHERE rank = (SELECT max(rank) FROM hits)
       )
       SELECT ${ORGANISATION_COLUMNS}, b.matched,
              COALESCE((SELECT json_agg(json_build_object(
                          'id', c.id, 'organisation_id', c.organisation_id, 'name', c.name, 'role', c.role,
                          'email', c.email, 'phone', c.phone, 'pgp_fingerprint', c.pgp_fingerprint,
                          'pgp_expires_at', c.pgp_expires_at, 'time_zone', c.time_zone, 'languages', c.languages,
                          'hours', c.hours, 'last_confirmed_at', c.last_confirmed_at) ORDER BY c.position)
                          FROM directory_contacts c WHERE c.organisation_id = o.id), '[]') AS contacts
         FROM best b
         JOIN organisations o ON o.id = b.organisation_id
         LEFT JOIN directory_entries e ON e.organisation_id = o.id
        ORDER BY o.name, o.id`,
        parameters,
      ),
    )) as (OrganisationRecord & { matched: string; contacts: ContactJson[] })[];
    return {
      matched: records[0]?.matched ?? null,
      owners: records.map((record) => ({
        organisation: toOrganisation(record),
        profile: { website: record.website, mandate: record.mandate, description: record.description },
        updatedAt: record.entry_updated_at,
        contacts: record.contacts.map((contact) =>
          toContact({
            ...contact,
            pgp_expires_at: dateOrNull(contact.pgp_expires_at),
            last_confirmed_at: dateOrNull(contact.last_confirmed_at),
          }),
        ),
      })),
    };
  }

  /**
   * The constituency of every active organisation that declares one (networks, AS numbers or domain suffixes), for
   * the fan-out's constituency warnings.
   */
  async findAllConstituencies(): Promise<OrganisationConstituency[]> {
    const constituencies = await constituenciesOf(this.dataSource.manager, null);
    return [...constituencies]
      .filter(([, c]) => c.cidrs.length + c.asns.length + c.domains.length > 0)
      .map(([organisationId, constituency]) => ({ organisationId, constituency }));
  }

  /** The 24/7 contacts of these organisations (any status), by organisation then in their order. */
  async findContacts(organisationIds: readonly string[]): Promise<Map<string, DirectoryContact[]>> {
    const entries = await readDirectoryEntries(this.dataSource.manager, organisationIds);
    return new Map(entries.map((entry) => [entry.organisation.id, entry.contacts]));
  }

  /** Armored public keys of these contacts (by contact id), for encrypting mail to them. */
  async findPgpKeys(contactIds: readonly string[], viewerId?: string): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows = (await this.reader.read(viewerId, (source) =>
      source.query(
        `SELECT id, pgp_public_key FROM directory_contacts WHERE id = ANY($1::uuid[]) AND pgp_public_key IS NOT NULL`,
        [contactIds],
      ),
    )) as { id: string; pgp_public_key: string }[];
    return new Map(rows.map((row) => [row.id, row.pgp_public_key]));
  }
}
