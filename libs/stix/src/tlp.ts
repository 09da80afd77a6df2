import { TlpLevel, tlpRank } from '@vigia/indicators';
import { STIX_SPEC_VERSION, type ExtensionMarkingDefinition, type StixId } from './types';

/**
 * TLP 2.0 as STIX 2.1 marking definitions. STIX 2.1 itself only defines the four TLP 1.0 markings; TLP 2.0 is the
 * OASIS extension `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d` ("TLP 2.0", created by
 * identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01), published in github.com/oasis-open/cti-stix-common-objects:
 * extension-definition-specifications/tlp-2.0/ (schema and examples) and objects/marking-definition/. The
 * objects below copy those published objects exactly: same ids, same `created`, no created_by_ref.
 */
export const TLP_2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP_2_MARKING_CREATED = '2022-10-01T00:00:00.000Z';

export const TLP_2_MARKING_IDS: Readonly<Record<TlpLevel, StixId<'marking-definition'>>> = {
  [TlpLevel.Clear]: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  [TlpLevel.Green]: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  [TlpLevel.Amber]: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  [TlpLevel.AmberStrict]: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  [TlpLevel.Red]: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** A TLP 2.0 marking definition and its id (the id is also `markingDefinition.id`). */
export interface TlpMarking {
  readonly id: StixId<'marking-definition'>;
  readonly markingDefinition: Readonly<ExtensionMarkingDefinition>;
}

const TLP_MARKINGS: Readonly<Record<TlpLevel, TlpMarking>> = {
  [TlpLevel.Clear]: tlpMarking(TlpLevel.Clear),
  [TlpLevel.Green]: tlpMarking(TlpLevel.Green),
  [TlpLevel.Amber]: tlpMarking(TlpLevel.Amber),
  [TlpLevel.AmberStrict]: tlpMarking(TlpLevel.AmberStrict),
  [TlpLevel.Red]: tlpMarking(TlpLevel.Red),
};

/** The official TLP 2.0 marking definition for a level. The object is shared and frozen. */
export function tlpMarkingFor(level: TlpLevel): TlpMarking {
  return TLP_MARKINGS[level];
}

const TLP_LEVEL_BY_MARKING_ID: ReadonlyMap<string, TlpLevel> = new Map(
  Object.entries(TLP_2_MARKING_IDS).map(([level, id]) => [id, level as TlpLevel]),
);

/** The TLP 2.0 level a marking-definition id stands for, if it is one of the official five. */
export function tlpLevelForMarkingId(markingId: string): TlpLevel | undefined {
  return TLP_LEVEL_BY_MARKING_ID.get(markingId);
}

/** TLP 1.0 marking definitions predefined by STIX 2.1 §7.2.1.4, still what many producers emit. */
const TLP_1_LEVEL_BY_MARKING_ID: ReadonlyMap<string, TlpLevel> = new Map([
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', TlpLevel.Clear],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', TlpLevel.Green],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', TlpLevel.Amber],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', TlpLevel.Red],
]);

/** The TLP level a marking-definition id stands for: TLP 2.0's five, or TLP 1.0's four (WHITE read as CLEAR). */
export function tlpLevelForAnyMarkingId(markingId: string): TlpLevel | undefined {
  return TLP_LEVEL_BY_MARKING_ID.get(markingId) ?? TLP_1_LEVEL_BY_MARKING_ID.get(markingId);
}

/** The strictest TLP level among these marking refs (TLP 2.0 or 1.0 ids), if any is a TLP marking. */
export function strictestTlpOfMarkings(markingRefs: readonly unknown[]): TlpLevel | undefined {
  let strictest: TlpLevel | undefined;
  for (const ref of markingRefs) {
    const level = typeof ref === 'string' ? tlpLevelForAnyMarkingId(ref) : undefined;
    if (level && (strictest === undefined || tlpRank(level) > tlpRank(strictest))) strictest = level;
  }
  return strictest;
}

function tlpMarking(level: TlpLevel): TlpMarking {
  const id = TLP_2_MARKING_IDS[level];
  const markingDefinition: ExtensionMarkingDefinition = {
    type: 'marking-definition',
    spec_version: STIX_SPEC_VERSION,
    id,
    created: TLP_2_MARKING_CREATED,
    // TLP 2.0 writes the level upper-case in its name: TLP:CLEAR … TLP:AMBER+STRICT.
    name: `TLP:${level.toUpperCase()}`,
    extensions: {
      [TLP_2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: level },
    },
  };
  return Object.freeze({ id, markingDefinition: deepFreeze(markingDefinition) });
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const member of Object.values(value) as unknown[]) {
    if (typeof member === 'object' && member !== null) deepFreeze(member);
  }
  return Object.freeze(value);
}
