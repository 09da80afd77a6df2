import { ErrorCode, ProblemDetail, VigiaException } from '@vigia/common';
import { TaxiiPosition, TaxiiVersionFilter } from '@vigia/database';
import { microsecondTimestamp, parseAddedAfter } from '../taxii-timestamp';

/** Page size when the client gives no `limit`, and the largest it may ask for. */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 10_000;

/** A TAXII request's filters (URL parameters), checked. */
export interface TaxiiQuery {
  /** `added_after` as given (part of the query a cursor is bound to) and as a position. */
  addedAfter: string | null;
  after: TaxiiPosition | null;
  next: string | null;
  limit: number;
  ids: string[];
  types: string[];
  /** `match[version]` tokens as given (null: the endpoint's default). */
  versionTokens: string[] | null;
  /** `match[spec_version]` (null: any). */
  specVersions: string[] | null;
}

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const STIX_ID =
  /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SPEC_VERSION = /^\d+\.\d+$/;

/** Every value of a parameter, comma lists split (`match[type]=a,b` and `match[type]=a&match[type]=b` alike). */
const listOf = (params: URLSearchParams, name: string): string[] | null => {
  const values = params.getAll(name);
  if (values.length === 0) return null;
  return values.flatMap((value) => value.split(',')).map((value) => value.trim());
};

/** Reads the TAXII filters of a request URL; 400 listing every problem. Unknown parameters are ignored. */
export function readTaxiiQuery(url: string): TaxiiQuery {
  const params = new URL(url, 'http://taxii.invalid').searchParams;
  const problems: ProblemDetail[] = [];
  const check = (values: string[] | null, path: string, valid: (value: string) => boolean, reason: string) => {
    for (const value of values ?? []) if (!valid(value)) problems.push({ path, value, reason });
    return values ?? [];
  };

  const addedAfterText = params.get('added_after');
  let after: TaxiiPosition | null = null;
  if (addedAfterText !== null) {
    try {
      after = parseAddedAfter(addedAfterText);
    } catch (error) {
      if (!(error instanceof VigiaException)) throw error;
      problems.push(...(error.details ?? []));
    }
  }
  const limitText = params.get('limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== null) {
    limit = /^\d+$/.test(limitText) ? Number(limitText) : 0;
    if (limit < 1) problems.push({ path: 'limit', value: limitText, reason: 'must be a whole number of 1 or more' });
    limit = Math.min(limit, MAX_PAGE_SIZE);
  }
  const ids = check(listOf(params, 'match[id]'), 'match[id]', (id) => STIX_ID.test(id), 'not a STIX identifier');
  const types = check(listOf(params, 'match[type]'), 'match[type]', (type) => STIX_TYPE.test(type), 'not a STIX type');
  const versionTokens = listOf(params, 'match[version]');
  check(
    versionTokens,
    'match[version]',
    (token) => ['last', 'first', 'all'].includes(token) || microsecondTimestamp(token) !== undefined,
    'must be last, first, all or a UTC timestamp',
  );
  const specVersions = listOf(params, 'match[spec_version]');
  check(specVersions, 'match[spec_version]', (version) => SPEC_VERSION.test(version), 'not a STIX version like 2.1');
  const next = params.get('next');
  if (next !== null && next.trim() === '') problems.push({ path: 'next', value: next, reason: 'is empty' });
  if (problems.length > 0) {
    throw new VigiaException(
      ErrorCode.ValidationFailed,
      `The request has ${problems.length} invalid filter(s)`,
      problems,
    );
  }
  return {
    addedAfter: addedAfterText,
    after,
    next,
    limit,
    ids: [...new Set(ids)].sort(),
    types: [...new Set(types)].sort(),
    versionTokens: versionTokens && [...new Set(versionTokens)].sort(),
    specVersions,
  };
}

/** `match[version]` tokens as a filter; `fallback` when none were given (objects: last; versions, delete: all). */
export function versionFilterOf(tokens: string[] | null, fallback: 'last' | 'all'): TaxiiVersionFilter {
  const given = tokens ?? [fallback];
  return {
    last: given.includes('last'),
    first: given.includes('first'),
    all: given.includes('all'),
    exactly: given.map(microsecondTimestamp).filter((timestamp): timestamp is string => timestamp !== undefined),
  };
}

/** Whether the objects asked for may be STIX 2.1 (the only version stored). */
export const admitsStix21 = (query: TaxiiQuery): boolean =>
  query.specVersions === null || query.specVersions.includes('2.1');
