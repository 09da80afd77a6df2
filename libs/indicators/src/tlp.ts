/** FIRST Traffic Light Protocol 2.0 levels, lower-case as written in TLP 2.0 ("TLP:AMBER+STRICT"). */
export enum TlpLevel {
  Clear = 'clear',
  Green = 'green',
  Amber = 'amber',
  AmberStrict = 'amber+strict',
  Red = 'red',
}

/** Who may see an object: its TLP 2.0 level and, for TLP:RED, the organisations named besides its creator. */
export interface TlpScope {
  tlp: TlpLevel;
  recipients: readonly string[];
}

export const TLP_LEVELS: readonly TlpLevel[] = Object.values(TlpLevel);

const TLP_RANKS: Readonly<Record<TlpLevel, number>> = {
  [TlpLevel.Clear]: 0,
  [TlpLevel.Green]: 1,
  [TlpLevel.Amber]: 2,
  [TlpLevel.AmberStrict]: 3,
  [TlpLevel.Red]: 4,
};

/** Position from least to most restrictive (clear 0 < green < amber < amber+strict < red 4), for comparisons. */
export function tlpRank(level: TlpLevel): number {
  return TLP_RANKS[level];
}

export function isTlpLevel(value: unknown): value is TlpLevel {
  return typeof value === 'string' && Object.hasOwn(TLP_RANKS, value);
}

// Optional `TLP` prefix followed by `:`, `-`, `_` or spaces ("TLP:AMBER", "tlp amber", MISP's "tlp:amber").
const TLP_PREFIX = /^tlp(?:\s*[:_-]\s*|\s+)/;
const SPACED_PLUS = /\s*\+\s*/;

/**
 * Read a TLP label as people and tools write it: `TLP:AMBER+STRICT`, `amber+strict`, `TLP: RED`, `tlp:white`.
 * TLP 1.0 `WHITE` maps to TLP 2.0 `CLEAR` (FIRST defines CLEAR as its replacement with the same meaning).
 * Returns undefined for anything else, including MISP's non-FIRST extensions such as `tlp:ex:chr` or `tlp:unclear`.
 */
export function parseTlp(text: string): TlpLevel | undefined {
  const label = text.trim().toLowerCase().replace(TLP_PREFIX, '').replace(SPACED_PLUS, '+');
  if (label === 'white') return TlpLevel.Clear;
  return isTlpLevel(label) ? label : undefined;
}
