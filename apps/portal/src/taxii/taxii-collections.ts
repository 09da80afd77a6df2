import { TaxiiCollectionScope } from '@vigia/database';

/** The collections every member has: fixed ids (any UUID works for clients) and aliases usable in URLs too. */
export const NETWORK_COLLECTION_ID = '1e115dc4-0812-42be-9ebf-fa6077962998';
export const MINE_COLLECTION_ID = 'dcb56934-30de-499b-95fa-6e9a26db4201';
export const INBOX_COLLECTION_ID = '9dc07f44-eefc-4281-9234-e070ce686cf1';

/** One collection as a caller sees it: what it holds, and whether it may be read and written. */
export interface TaxiiCollection {
  id: string;
  alias?: string;
  title: string;
  description: string;
  /** What it holds; null for the inbox, which holds nothing to read. */
  scope: TaxiiCollectionScope | null;
  /** Objects may be added to it (they go in as the caller's STIX submissions). */
  writable: boolean;
  /** Versions the caller wrote may be deleted from it. */
  deletable: boolean;
}

export const FIXED_COLLECTIONS: readonly TaxiiCollection[] = [
  {
    id: NETWORK_COLLECTION_ID,
    alias: 'network',
    title: 'Network',
    description: 'Every STIX object the network shared that your organisation may see (TLP and audience applied).',
    scope: { kind: 'network' },
    writable: false,
    deletable: false,
  },
  {
    id: MINE_COLLECTION_ID,
    alias: 'mine',
    title: 'Our submissions',
    description: "The STIX objects your organisation's reports wrote. Objects added here are submitted as a report.",
    scope: { kind: 'mine' },
    writable: true,
    deletable: true,
  },
  {
    id: INBOX_COLLECTION_ID,
    alias: 'inbox',
    title: 'Inbox',
    description: 'Write-only: objects added here are submitted as a STIX report of your organisation.',
    scope: null,
    writable: true,
    deletable: false,
  },
];
