import { OrganisationPrincipal, Scope } from '@vigia/auth';
import { firstListed } from '@vigia/common';
import { TaxiiPageRow, TaxiiStatusObject, TaxiiStatusRecord } from '@vigia/database';
import { CollectionDto, StatusDetailDto, StatusDto } from './dto/taxii-resources.dto';
import { TaxiiCollection } from './taxii-collections';
import { STIX_MEDIA_TYPE } from './taxii-media';

export type PageKind = 'objects' | 'manifest' | 'versions';

export function toCollectionDto(collection: TaxiiCollection, principal: OrganisationPrincipal): CollectionDto {
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    ...(collection.alias ? { alias: collection.alias } : {}),
    can_read: collection.scope !== null && principal.scopes.includes(Scope.TaxiiRead),
    can_write: collection.writable && principal.scopes.includes(Scope.TaxiiWrite),
    media_types: [STIX_MEDIA_TYPE],
  };
}

/**
 * A page as TAXII JSON. Objects are passed on as the stored JSON text, never parsed and serialised again: the page
 * costs one statement and string joins. An empty result is the empty envelope.
 */
export function pageBody(kind: PageKind, rows: TaxiiPageRow[], more: boolean, next: string | undefined): string {
  if (rows.length === 0 && !more) return '{}';
  const head = `{"more":${more}${next ? `,"next":${JSON.stringify(next)}` : ''}`;
  switch (kind) {
    case 'objects':
      return `${head},"objects":[${rows.map((row) => row.object).join(',')}]}`;
    case 'manifest':
      return `${head},"objects":${JSON.stringify(
        rows.map((row) => ({
          id: row.id,
          date_added: row.dateAdded,
          version: row.version,
          media_type: STIX_MEDIA_TYPE,
        })),
      )}}`;
    case 'versions':
      return `${head},"versions":${JSON.stringify(rows.map((row) => row.version))}}`;
  }
}

/**
 * The status of an "add objects" request: refused objects are failures; accepted ones are pending until their report
 * is normalised (then successes, with what normalisation skipped as the message) or failed (failures, with why).
 * Each list shows its first `MAX_LISTED_PROBLEMS` objects (TAXII makes the lists optional); the counts count all.
 */
export function toStatusDto(record: TaxiiStatusRecord): StatusDto {
  const skipped = new Map(record.reportSkipped.map((item) => [item.path, item.reason]));
  const successes: StatusDetailDto[] = [];
  const failures: StatusDetailDto[] = record.refused.map(detailOf);
  const pendings: StatusDetailDto[] = [];
  record.accepted.forEach((entry, index) => {
    if (record.reportStatus === 'normalised') {
      const reason = skipped.get(`objects[${index}]`);
      successes.push(detailOf(reason ? { ...entry, message: `stored; ${reason}` } : entry));
    } else if (record.reportStatus === 'failed') {
      failures.push(detailOf({ ...entry, message: record.reportFailureReason ?? 'normalisation failed' }));
    } else pendings.push(detailOf(entry));
  });
  return {
    id: record.id,
    status: pendings.length > 0 ? 'pending' : 'complete',
    request_timestamp: record.createdAt.toISOString(),
    total_count: record.accepted.length + record.refused.length,
    success_count: successes.length,
    successes: firstListed(successes),
    failure_count: failures.length,
    failures: firstListed(failures),
    pending_count: pendings.length,
    pendings: firstListed(pendings),
  };
}

const detailOf = (entry: TaxiiStatusObject): StatusDetailDto => ({
  id: entry.id,
  version: entry.version,
  ...(entry.message ? { message: entry.message } : {}),
});
