import { IndicatorType } from './indicator-type';

/**
 * Vigia's indicator score (0-100), documented in docs/indicators.md. It starts from what the reports say
 * (confidence), adds corroboration (more organisations reporting, sighting or confirming it), takes off for
 * false-positive feedback, then decays with the time since it was last seen, per type, the way MISP's polynomial
 * decaying model does: `1 - (age / lifetime) ^ (1 / speed)`, zero once the type's lifetime (`INDICATOR_LIFETIME_DAYS`)
 * has passed, no decay for a lifetime of 0 (hashes and CVEs by default). A speed above 1 loses most of the score early
 * (addresses change hands quickly), below 1 keeps it until near the end of the lifetime.
 */
export const SCORE_MODEL = {
  /** The score of a value reported without a confidence. */
  defaultConfidence: 50,
  /** Per organisation reporting it beyond the first, up to `maxCorroboration`. */
  perExtraReporter: 10,
  maxCorroboration: 30,
  /** Per organisation that sighted it, up to `maxSightings`. */
  perSightingOrganisation: 5,
  maxSightings: 15,
  /** Per organisation confirming it, up to `maxConfirmations`. */
  perConfirmation: 5,
  maxConfirmations: 10,
  /** Per organisation calling it a false positive. */
  perFalsePositive: 30,
} as const;

/** Which `INDICATOR_LIFETIME_DAYS` kind each type follows, and how fast its score decays within that lifetime. */
export const SCORE_DECAY: Readonly<Record<IndicatorType, { lifetimeKind: string; speed: number }>> = {
  [IndicatorType.Ipv4]: { lifetimeKind: 'ip', speed: 2 },
  [IndicatorType.Ipv6]: { lifetimeKind: 'ip', speed: 2 },
  [IndicatorType.Domain]: { lifetimeKind: 'domain', speed: 1 },
  [IndicatorType.Url]: { lifetimeKind: 'url', speed: 1.5 },
  [IndicatorType.Email]: { lifetimeKind: 'email', speed: 0.5 },
  [IndicatorType.Md5]: { lifetimeKind: 'hash', speed: 1 },
  [IndicatorType.Sha1]: { lifetimeKind: 'hash', speed: 1 },
  [IndicatorType.Sha256]: { lifetimeKind: 'hash', speed: 1 },
  [IndicatorType.Sha512]: { lifetimeKind: 'hash', speed: 1 },
  [IndicatorType.Cve]: { lifetimeKind: 'cve', speed: 1 },
  [IndicatorType.Asn]: { lifetimeKind: 'asn', speed: 0.5 },
};

/** Per type: [lifetime in days (0: no decay), speed]; the SQL twin of the score reads this as jsonb. */
export type DecayTable = Record<string, [number, number]>;

export const decayTable = (lifetimeDays: Readonly<Record<string, number>>): DecayTable =>
  Object.fromEntries(
    Object.entries(SCORE_DECAY).map(([type, { lifetimeKind, speed }]) => [
      type,
      [lifetimeDays[lifetimeKind] ?? 0, speed],
    ]),
  );

export interface ScoreInputs {
  type: string;
  /** The audience's reports' confidence (their average), null when none gave one. */
  confidence: number | null;
  orgCount: number;
  sightingOrgCount: number;
  confirmedOrgCount: number;
  falsePositiveOrgCount: number;
  lastSeen: Date | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** The decay factor (0-1) of a value last seen `ageDays` ago. */
export function decayFactor(ageDays: number, lifetimeDays: number, speed: number): number {
  if (lifetimeDays <= 0) return 1;
  const elapsed = Math.min(1, Math.max(0, ageDays / lifetimeDays));
  return Math.max(0, 1 - elapsed ** (1 / speed));
}

/** The score before decay: confidence, corroboration and feedback, within 0-100. */
export function baseScore(inputs: Omit<ScoreInputs, 'type' | 'lastSeen'>): number {
  const m = SCORE_MODEL;
  const raw =
    (inputs.confidence ?? m.defaultConfidence) +
    Math.min(m.maxCorroboration, m.perExtraReporter * Math.max(0, inputs.orgCount - 1)) +
    Math.min(m.maxSightings, m.perSightingOrganisation * inputs.sightingOrgCount) +
    Math.min(m.maxConfirmations, m.perConfirmation * inputs.confirmedOrgCount) -
    m.perFalsePositive * inputs.falsePositiveOrgCount;
  return Math.min(100, Math.max(0, raw));
}

/** The score at `now` (the repository computes the same in SQL). */
export function indicatorScore(inputs: ScoreInputs, decay: DecayTable, now = new Date()): number {
  const [lifetimeDays, speed] = decay[inputs.type] ?? [0, 1];
  const ageDays = inputs.lastSeen === null ? 0 : (now.getTime() - inputs.lastSeen.getTime()) / DAY_MS;
  return Math.round(baseScore(inputs) * decayFactor(ageDays, lifetimeDays, speed));
}
