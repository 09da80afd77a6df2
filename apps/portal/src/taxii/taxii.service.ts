import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, Scope } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  SubscriptionEntity,
  SubscriptionRepository,
  TaxiiPageRow,
  TaxiiRepository,
  TaxiiStatusObject,
  subscriptionFiltersOf,
} from '@vigia/database';
import {
  refuseTooManyIndicators,
  refuseUnsafeDocument,
  ReportIntakeService,
  ReportOverridesDto,
  StixBundleFormat,
} from '@vigia/report-intake';
import { StixValidator } from '@vigia/stix';
import { isUUID } from 'class-validator';
import { TaxiiQuery, admitsStix21, readTaxiiQuery, versionFilterOf } from './dto/taxii-query';
import {
  ApiRootDto,
  CollectionDto,
  CollectionsDto,
  DiscoveryDto,
  StatusDto,
  TaxiiPage,
} from './dto/taxii-resources.dto';
import { FIXED_COLLECTIONS, TaxiiCollection } from './taxii-collections';
import { TaxiiCursors, queryDigest } from './taxii-cursor';
import { TAXII_MEDIA_TYPE } from './taxii-media';
import { dateAddedLastHeader } from './taxii-timestamp';
import { PageKind, pageBody, toCollectionDto, toStatusDto } from './taxii.mapper';

/** The one API root; its URL is `/taxii2/<API_ROOT>/`. */
export const API_ROOT = 'vigia';
/** Largest request body (an envelope of objects to add), advertised as the API root's `max_content_length`. */
export const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/** A page read from the store: the rows to send, and what the client needs to go on. */
interface ReadPage {
  rows: TaxiiPageRow[];
  more: boolean;
  next?: string;
  headers: Record<string, string>;
}

/**
 * TAXII 2.1 for members: collections computed from the stored STIX objects under the sharing rule (network, the
 * member's own submissions, an inbox, one per subscription), pages in (date_added, added_seq) order with signed
 * cursors, and objects added through the same intake as a STIX report submitted to ingest.
 */
@Injectable()
export class TaxiiService {
  private readonly logger = new Logger(TaxiiService.name);
  private readonly cursors: TaxiiCursors;
  /** `INGEST_MAX_INDICATORS`: an envelope becomes one report, held to the same limit. */
  private readonly maxIndicators: number;
  private readonly validator = new StixValidator();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly taxii: TaxiiRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly intake: ReportIntakeService,
    private readonly stix: StixBundleFormat,
    private readonly auditLog: AuditLog,
  ) {
    this.cursors = new TaxiiCursors(config.auth.jwtSecret);
    this.maxIndicators = config.ingest.maxIndicators;
  }

  discovery(principal: OrganisationPrincipal, baseUrl: string): DiscoveryDto {
    checkTaxiiCaller(principal);
    const root = `${baseUrl}/taxii2/${API_ROOT}/`;
    return {
      title: 'Vigia TAXII 2.1',
      description: 'Threat information shared in the Vigia network, under TLP and the sharing rule of its members.',
      default: root,
      api_roots: [root],
    };
  }

  apiRoot(principal: OrganisationPrincipal, root: string): ApiRootDto {
    checkTaxiiCaller(principal);
    checkRoot(root);
    return {
      title: 'Vigia',
      description: 'Collections of the Vigia network for your organisation.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: MAX_CONTENT_LENGTH,
    };
  }

  async collections(principal: OrganisationPrincipal, root: string): Promise<CollectionsDto> {
    checkTaxiiCaller(principal);
    checkRoot(root);
    const owned = await this.subscriptions.listOwned(principal.organisationId);
    const collections: TaxiiCollection[] = [
      ...FIXED_COLLECTIONS,
      ...owned.map(({ subscription }) => subscriptionCollection(subscription)),
    ];
    return { collections: collections.map((collection) => toCollectionDto(collection, principal)) };
  }

  async collection(principal: OrganisationPrincipal, root: string, id: string): Promise<CollectionDto> {
    checkTaxiiCaller(principal);
    return toCollectionDto(await this.findCollection(principal, root, id), principal);
  }

  async objects(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    url: string,
    origin: RequestOrigin,
  ): Promise<TaxiiPage> {
    const collection = await this.readableCollection(principal, root, collectionId);
    const query = readTaxiiQuery(url);
    const page = await this.readPage(principal, collection, 'objects', query, null);
    await this.auditRestrictedReads(principal, origin, collection, page.rows);
    return { body: pageBody('objects', page.rows, page.more, page.next), headers: page.headers };
  }

  async manifest(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    url: string,
  ): Promise<TaxiiPage> {
    const collection = await this.readableCollection(principal, root, collectionId);
    const query = readTaxiiQuery(url);
    const page = await this.readPage(principal, collection, 'manifest', query, null);
    return { body: pageBody('manifest', page.rows, page.more, page.next), headers: page.headers };
  }

  /** An object's versions the caller may see (`match[version]`, last by default); 404 when there is none. */
  async object(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    objectId: string,
    url: string,
    origin: RequestOrigin,
  ): Promise<TaxiiPage> {
    const collection = await this.readableCollection(principal, root, collectionId);
    const query = readTaxiiQuery(url);
    const page = await this.readPage(principal, collection, 'objects', query, objectId);
    if (page.rows.length === 0 && query.next === null) throw objectNotFound(objectId);
    await this.auditRestrictedReads(principal, origin, collection, page.rows);
    return { body: pageBody('objects', page.rows, page.more, page.next), headers: page.headers };
  }

  async versions(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    objectId: string,
    url: string,
  ): Promise<TaxiiPage> {
    const collection = await this.readableCollection(principal, root, collectionId);
    const query = { ...readTaxiiQuery(url), versionTokens: ['all'] };
    const page = await this.readPage(principal, collection, 'versions', query, objectId);
    if (page.rows.length === 0 && query.next === null) throw objectNotFound(objectId);
    return { body: pageBody('versions', page.rows, page.more, page.next), headers: page.headers };
  }

  /** Deletes the versions of an object that the caller's organisation wrote (`match[version]`, all by default). */
  async deleteObject(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    objectId: string,
    url: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const collection = await this.findCollection(principal, root, collectionId);
    if (!collection.deletable) {
      throw new VigiaException(
        ErrorCode.Forbidden,
        `Objects are deleted from the "mine" collection, not "${collectionId}"`,
      );
    }
    const query = readTaxiiQuery(url);
    if (!admitsStix21(query)) throw objectNotFound(objectId);
    const outcome = await this.taxii.deleteOwned(
      principal.organisationId,
      objectId,
      versionFilterOf(query.versionTokens, 'all'),
      (deleted) =>
        this.auditLog.event(
          {
            action: AuditAction.ObjectVersionsDeleted,
            targetType: AuditTargetType.StixObject,
            targetId: objectId,
            details: { via: 'taxii', versions_deleted: deleted, versions: query.versionTokens ?? ['all'] },
          },
          principal,
          origin,
        ),
    );
    if (outcome === 'not-found') throw objectNotFound(objectId);
    if (outcome === 'not-owner') {
      throw new VigiaException(ErrorCode.Forbidden, 'Only the organisation that wrote a version may delete it');
    }
    this.logger.log({ organisationId: principal.organisationId, objectId }, 'taxii object versions deleted');
  }

  /**
   * Adds an envelope's objects: each is checked by the STIX 2.1 validator; those that pass go in together as one STIX
   * report of the caller (ingest's intake: report, payload, indicators and normalisation job at once), the others
   * are failures with the reason. The status is pending until normalisation has run.
   */
  async addObjects(
    principal: OrganisationPrincipal,
    root: string,
    collectionId: string,
    body: Buffer,
  ): Promise<StatusDto> {
    const collection = await this.findCollection(principal, root, collectionId);
    if (!collection.writable) {
      throw new VigiaException(
        ErrorCode.Forbidden,
        `Collection ${collectionId} cannot be written to (can_write: false)`,
      );
    }
    const objects = envelopeObjects(body);
    // Refused whole, as ingest refuses such documents: a value PostgreSQL cannot store would fail the report later.
    refuseUnsafeDocument({ objects }, body);
    const { accepted, refused } = this.checkObjects(objects);
    let reportId: string | null = null;
    if (accepted.length > 0) {
      const envelope = { objects: accepted.map(({ object }) => object) };
      const raw = Buffer.from(JSON.stringify(envelope));
      const submission = await this.stix.toSubmission(envelope, new ReportOverridesDto(), {
        body: raw,
        contentType: TAXII_MEDIA_TYPE,
      });
      refuseTooManyIndicators(submission, this.maxIndicators);
      reportId = (await this.intake.submit(principal, submission)).id;
    }
    const id = randomUUID();
    const status = {
      id,
      organisationId: principal.organisationId,
      reportId,
      accepted: accepted.map(({ entry }) => entry),
      refused,
    };
    await this.taxii.insertStatus(status);
    this.logger.log(
      { statusId: id, reportId, accepted: accepted.length, refused: refused.length },
      'taxii objects added',
    );
    const stored = await this.taxii.findStatusOwned(principal.organisationId, id);
    if (!stored) throw new Error(`TAXII status ${id} vanished after it was written`);
    return toStatusDto(stored);
  }

  async status(principal: OrganisationPrincipal, root: string, statusId: string): Promise<StatusDto> {
    checkRoot(root);
    const stored = isUUID(statusId) ? await this.taxii.findStatusOwned(principal.organisationId, statusId) : undefined;
    // Another organisation's status is answered exactly like a missing one.
    if (!stored) throw new VigiaException(ErrorCode.NotFound, `No status ${statusId}`);
    return toStatusDto(stored);
  }

  /** Reads of AMBER+STRICT and RED objects are audited (one event per page: which objects, never their content). */
  private async auditRestrictedReads(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    collection: TaxiiCollection,
    rows: TaxiiPageRow[],
  ): Promise<void> {
    const restricted = rows.filter((row) => row.tlp === 'red' || row.tlp === 'amber+strict');
    if (restricted.length === 0) return;
    await this.auditLog.record(
      {
        action: AuditAction.ObjectRead,
        targetType: AuditTargetType.StixObject,
        targetId: restricted[0]!.id,
        details: {
          via: 'taxii',
          collection: collection.alias ?? collection.id,
          count: restricted.length,
          ids: restricted.slice(0, 100).map((row) => row.id),
          tlp: [...new Set(restricted.map((row) => row.tlp as string))],
        },
      },
      principal,
      origin,
    );
  }

  /** Objects that pass the STIX 2.1 validator, and the others with the reasons. */
  private checkObjects(objects: unknown[]): {
    accepted: { object: unknown; entry: TaxiiStatusObject }[];
    refused: TaxiiStatusObject[];
  } {
    const errors = new Map<number, string[]>();
    const asBundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
    for (const error of this.validator.validateBundle(asBundle).errors) {
      const match = /^\/objects\/(\d+)(\/[^:]*)?: (.*)$/.exec(error);
      if (!match) continue;
      const index = Number(match[1]);
      errors.set(index, [...(errors.get(index) ?? []), `${match[2] ?? '/'}: ${match[3]}`]);
    }
    const accepted: { object: unknown; entry: TaxiiStatusObject }[] = [];
    const refused: TaxiiStatusObject[] = [];
    objects.forEach((object, index) => {
      const entry = statusEntryOf(object, index);
      const problems = errors.get(index);
      if (problems) refused.push({ ...entry, message: problems.slice(0, 5).join('; ').slice(0, 1000) });
      else accepted.push({ object, entry });
    });
    return { accepted, refused };
  }

  private async readPage(
    principal: OrganisationPrincipal,
    collection: TaxiiCollection,
    kind: PageKind,
    query: TaxiiQuery,
    objectId: string | null,
  ): Promise<ReadPage> {
    const digest = queryDigest([
      kind,
      principal.organisationId,
      collection.id,
      objectId,
      query.addedAfter,
      objectId === null ? query.ids : [],
      query.types,
      query.versionTokens,
      query.specVersions,
    ]);
    const after = query.next === null ? query.after : this.cursors.read(query.next, digest);
    if (!collection.scope || !admitsStix21(query)) return { rows: [], more: false, headers: {} };
    const rows = await this.taxii.page({
      viewerId: principal.organisationId,
      scope: collection.scope,
      ids: objectId === null ? query.ids : [objectId],
      types: query.types,
      versions: versionFilterOf(query.versionTokens, 'last'),
      after,
      rows: query.limit + 1,
      withObjects: kind === 'objects',
    });
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    const first = page[0];
    const last = page[page.length - 1];
    if (!first || !last) return { rows: [], more: false, headers: {} };
    const following = rows[query.limit];
    return {
      rows: page,
      more,
      next: more ? this.cursors.issue(last, digest) : undefined,
      headers: {
        'X-TAXII-Date-Added-First': first.dateAdded,
        'X-TAXII-Date-Added-Last': dateAddedLastHeader(last, following?.dateAdded === last.dateAdded),
      },
    };
  }

  /** A collection the caller may read: 403 when it may not (no `taxii:read`, or the write-only inbox). */
  private async readableCollection(
    principal: OrganisationPrincipal,
    root: string,
    id: string,
  ): Promise<TaxiiCollection> {
    const collection = await this.findCollection(principal, root, id);
    if (!collection.scope) {
      throw new VigiaException(ErrorCode.Forbidden, `Collection ${id} is write-only (can_read: false)`);
    }
    return collection;
  }

  /** A collection by id or alias: the fixed ones and the caller's subscriptions; anything else is 404. */
  private async findCollection(principal: OrganisationPrincipal, root: string, id: string): Promise<TaxiiCollection> {
    checkRoot(root);
    const fixed = FIXED_COLLECTIONS.find((collection) => collection.id === id || collection.alias === id);
    if (fixed) return fixed;
    const owned = isUUID(id) ? await this.subscriptions.findOwned(principal.organisationId, id) : undefined;
    if (!owned) throw new VigiaException(ErrorCode.NotFound, `No collection ${id}`);
    return subscriptionCollection(owned.subscription);
  }
}

/** A subscription of the caller as a read-only collection of what its filters select. */
function subscriptionCollection(subscription: SubscriptionEntity): TaxiiCollection {
  return {
    id: subscription.id,
    title: `Subscription: ${subscription.name}`,
    description:
      `The objects about values that subscription "${subscription.name}" selects (its filters, TLP:RED only if it ` +
      `accepts RED)${subscription.active ? '' : '; the subscription is paused, the collection is not'}.`,
    scope: { kind: 'subscription', filters: subscriptionFiltersOf(subscription) },
    writable: false,
    deletable: false,
  };
}

/** Discovery, API root and collections need one of the TAXII scopes. */
function checkTaxiiCaller(principal: OrganisationPrincipal): void {
  if (!principal.scopes.includes(Scope.TaxiiRead) && !principal.scopes.includes(Scope.TaxiiWrite)) {
    throw new VigiaException(
      ErrorCode.Forbidden,
      `The API key lacks the scope ${Scope.TaxiiRead} or ${Scope.TaxiiWrite}`,
    );
  }
}

function checkRoot(root: string): void {
  if (root !== API_ROOT) throw new VigiaException(ErrorCode.NotFound, `No API root ${root}; it is ${API_ROOT}`);
}

const objectNotFound = (objectId: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No object ${objectId} in this collection that you may see`);

/** The objects of a TAXII envelope (400 when the body is not one). */
function envelopeObjects(body: Buffer): unknown[] {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new VigiaException(ErrorCode.ValidationFailed, `Malformed JSON: ${(error as Error).message}`);
  }
  const objects = (envelope as { objects?: unknown } | null)?.objects;
  if (typeof envelope !== 'object' || Array.isArray(envelope) || !Array.isArray(objects) || objects.length === 0) {
    throw new VigiaException(ErrorCode.ValidationFailed, 'Expected a TAXII envelope {"objects": [...]} with objects', [
      { path: 'objects', reason: 'must be a non-empty array of STIX objects' },
    ]);
  }
  return objects;
}

/** How a status names an object: its id and version (modified, else created), or its place when it has no id. */
function statusEntryOf(object: unknown, index: number): TaxiiStatusObject {
  const record = (typeof object === 'object' && object !== null ? object : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    id: text(record.id) ?? `objects[${index}]`,
    version: text(record.modified) ?? text(record.created) ?? '',
  };
}
