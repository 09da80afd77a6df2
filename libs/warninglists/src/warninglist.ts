import { parseRangeEntry } from './ip-ranges';

export const WARNINGLIST_TYPES = ['cidr', 'domain', 'exact'] as const;
export type WarninglistType = (typeof WARNINGLIST_TYPES)[number];

/**
 * A list of values that must never raise an alert. One JSON file each:
 * - `cidr`: CIDR blocks or single addresses, IPv4 or IPv6; an address or network indicator matches when it overlaps.
 * - `domain`: registrable domains or host names; a domain matches itself and every subdomain.
 * - `exact`: values compared whole (case-insensitive) with the canonical indicator value, e.g. hashes.
 * `documentation: true` lists are loaded only when WARNINGLIST_DOCUMENTATION_RANGES is on.
 */
export interface Warninglist {
  name: string;
  description: string;
  type: WarninglistType;
  entries: string[];
  documentation?: boolean;
}

export class WarninglistError extends Error {
  override readonly name = 'WarninglistError';
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DOMAIN_ENTRY = /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/;

/** Checks a parsed list file; every problem names the file and the entry, so a bad list stops the worker at boot. */
export function parseWarninglist(content: unknown, source: string): Warninglist {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new WarninglistError(`${source}: a warninglist must be a JSON object`);
  }
  const { name, description, type, entries, documentation } = content as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new WarninglistError(`${source}: name must be 1-64 lower-case letters, digits, '.', '_' or '-'`);
  }
  if (typeof description !== 'string') throw new WarninglistError(`${source}: description must be a string`);
  if (!WARNINGLIST_TYPES.includes(type as WarninglistType)) {
    throw new WarninglistError(`${source}: type must be one of ${WARNINGLIST_TYPES.join(', ')}`);
  }
  if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string')) {
    throw new WarninglistError(`${source}: entries must be an array of strings`);
  }
  if (documentation !== undefined && typeof documentation !== 'boolean') {
    throw new WarninglistError(`${source}: documentation must be true or false`);
  }
  const list: Warninglist = {
    name,
    description,
    type: type as WarninglistType,
    entries: (entries as string[]).map((entry) => canonicaliseEntry(type as WarninglistType, entry, source)),
  };
  if (documentation !== undefined) list.documentation = documentation;
  return list;
}

function canonicaliseEntry(type: WarninglistType, entry: string, source: string): string {
  const trimmed = entry.trim();
  switch (type) {
    case 'cidr':
      try {
        parseRangeEntry(trimmed);
      } catch {
        throw new WarninglistError(`${source}: "${entry}" is not an IP address or CIDR block`);
      }
      return trimmed;
    case 'domain': {
      // "*.example.com" and ".example.com" say the same as "example.com": subdomains always match.
      const domain = trimmed
        .toLowerCase()
        .replace(/^\*?\./, '')
        .replace(/\.$/, '');
      if (!DOMAIN_ENTRY.test(domain) || domain.includes('..')) {
        throw new WarninglistError(`${source}: "${entry}" is not a domain name`);
      }
      return domain;
    }
    case 'exact':
      if (trimmed === '') throw new WarninglistError(`${source}: empty entry`);
      return trimmed.toLowerCase();
  }
}
