import { SubscriptionFilters } from './subscription.rows';
import { TaxiiStatusObject } from './taxii-status.entity';

/**
 * A place in the order TAXII pages follow, (date_added, added_seq): `dateAdded` as a STIX timestamp with
 * microseconds; `seq` null means "after every version added at that instant" (a plain `added_after`).
 */
export interface TaxiiPosition {
  dateAdded: string;
  seq: string | null;
}

/** Which stored objects a collection holds, besides what the viewer may see. */
export type TaxiiCollectionScope =
  | { kind: 'network' }
  /** The versions the viewer's organisation wrote (its submissions). */
  | { kind: 'mine' }
  /** A subscription's filters, as its warnings would apply them. */
  | { kind: 'subscription'; filters: SubscriptionFilters };

/** Version filters (`match[version]`): a version is kept if any one says so. */
export interface TaxiiVersionFilter {
  last: boolean;
  first: boolean;
  all: boolean;
  /** `modified` values (STIX timestamps). */
  exactly: string[];
}

/** One page's question: every filter a TAXII client can give, already checked. */
export interface TaxiiPageQuery {
  viewerId: string;
  scope: TaxiiCollectionScope;
  ids: string[];
  types: string[];
  versions: TaxiiVersionFilter;
  /** Exclusive: only versions after it. */
  after: TaxiiPosition | null;
  /** Rows to read (the page size plus one, to know whether there is more). */
  rows: number;
  /** Read the objects themselves (objects pages) or only their ids and versions (manifests, versions). */
  withObjects: boolean;
}

/** One stored version in TAXII order. */
export interface TaxiiPageRow {
  dateAdded: string;
  seq: string;
  id: string;
  /** The version's `modified` (or `created`), as the object states it. */
  version: string;
  /** The object as stored, JSON text (only with `withObjects`). */
  object: string | null;
  /** Its TLP level (reads of AMBER+STRICT and RED objects are audited). */
  tlp: string | null;
}

/** A TAXII "add objects" request as stored. */
export interface TaxiiStatusRecord {
  id: string;
  organisationId: string;
  reportId: string | null;
  accepted: TaxiiStatusObject[];
  refused: TaxiiStatusObject[];
  createdAt: Date;
  /** The report's progress: received, normalised or failed (null without a report). */
  reportStatus: string | null;
  reportFailureReason: string | null;
  /** What normalisation skipped, by `objects[i]` path of the accepted objects. */
  reportSkipped: { path: string; reason: string }[];
}

/** The outcome of deleting an object's versions for its owner. */
export type TaxiiDeleteOutcome = 'deleted' | 'not-found' | 'not-owner';
