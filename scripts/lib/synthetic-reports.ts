import { StoredIndicator, syntheticIndicator } from './stored-report.factory';

/** What the synthetic reports hold: `indicators` in reports of `reportSize`, a share `repeats` repeating earlier values. */
export interface SyntheticReportOptions {
  indicators: number;
  reportSize: number;
  repeats: number;
}

/** mulberry32: a seeded generator, so every run stores the same reports and runs compare. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Reports of `reportSize` indicators of mixed types; a share `repeats` of them repeats a value of an earlier report
 * (of any organisation), so indicators are updated and sighted as well as created.
 */
export function* syntheticReports(options: SyntheticReportOptions): Generator<StoredIndicator[]> {
  const random = seededRandom(20261123);
  const earlier: StoredIndicator[] = [];
  let next = 0;
  for (let produced = 0; produced < options.indicators; produced += options.reportSize) {
    const size = Math.min(options.reportSize, options.indicators - produced);
    const report: StoredIndicator[] = [];
    const seen = new Set<string>();
    while (report.length < size) {
      const repeat = earlier.length > 0 && random() < options.repeats;
      const indicator = repeat ? earlier[Math.floor(random() * earlier.length)] : syntheticIndicator(next++);
      if (seen.has(indicator.value)) continue;
      seen.add(indicator.value);
      report.push(indicator);
    }
    for (const indicator of report) earlier.push(indicator);
    yield report;
  }
}
