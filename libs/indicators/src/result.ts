/** A value accepted by `canonicaliseIndicator`, in the canonical form to store, compare and deduplicate on. */
export interface CanonicalIndicator {
  ok: true;
  value: string;
  /** True for an IP network (`198.51.100.0/24`); false for a single address and for every other type. */
  isCidr: boolean;
}

/** A rejected value; `reason` is shown to analysts as is, so it says what is wrong and, where possible, the fix. */
export interface IndicatorRejection {
  ok: false;
  reason: string;
}

export type CanonicaliseResult = CanonicalIndicator | IndicatorRejection;

export function accept(value: string, isCidr = false): CanonicalIndicator {
  return { ok: true, value, isCidr };
}

export function reject(reason: string): IndicatorRejection {
  return { ok: false, reason };
}

const MAX_QUOTED_LENGTH = 80;

/** Quote a user-supplied value inside a reason, cut short so a huge input cannot flood the analyst's screen. */
export function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return `"${shown}"`;
}
