import { TLP_LEVELS, TlpLevel } from '@vigia/indicators';
import {
  TLP_2_MARKING_IDS,
  strictestTlpOfMarkings,
  tlpLevelForAnyMarkingId,
  tlpLevelForMarkingId,
  tlpMarkingFor,
} from './tlp';

/**
 * The TLP 2.0 marking definitions as OASIS publishes them in github.com/oasis-open/cti-stix-common-objects
 * (objects/marking-definition/*.json and extension-definition-specifications/tlp-2.0/examples/tlp-*.json).
 */
const OFFICIAL_TLP_2_MARKINGS: Record<TlpLevel, unknown> = {
  [TlpLevel.Clear]: official('94868c89-83c2-464b-929b-a1a8aa3c8487', 'TLP:CLEAR', 'clear'),
  [TlpLevel.Green]: official('bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'TLP:GREEN', 'green'),
  [TlpLevel.Amber]: official('55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'TLP:AMBER', 'amber'),
  [TlpLevel.AmberStrict]: official('939a9414-2ddd-4d32-a0cd-375ea402b003', 'TLP:AMBER+STRICT', 'amber+strict'),
  [TlpLevel.Red]: official('e828b379-4e03-4974-9ac4-e53a884c97c1', 'TLP:RED', 'red'),
};

function official(uuid: string, name: string, tlp: string): unknown {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--${uuid}`,
    created: '2022-10-01T00:00:00.000Z',
    name,
    extensions: {
      'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
        extension_type: 'property-extension',
        tlp_2_0: tlp,
      },
    },
  };
}

describe('tlpMarkingFor', () => {
  it.each(TLP_LEVELS)('returns the official TLP 2.0 marking definition for %s', (level) => {
    const marking = tlpMarkingFor(level);
    expect(marking.markingDefinition).toStrictEqual(OFFICIAL_TLP_2_MARKINGS[level]);
    expect(marking.id).toBe(marking.markingDefinition.id);
    expect(marking.id).toBe(TLP_2_MARKING_IDS[level]);
  });

  it('shares one frozen object per level, so callers cannot alter the official markings', () => {
    const marking = tlpMarkingFor(TlpLevel.Red);
    expect(tlpMarkingFor(TlpLevel.Red)).toBe(marking);
    expect(Object.isFrozen(marking.markingDefinition)).toBe(true);
    expect(Object.isFrozen(Object.values(marking.markingDefinition.extensions)[0])).toBe(true);
  });

  it('maps the five ids back to their levels and nothing else', () => {
    for (const level of TLP_LEVELS) {
      expect(tlpLevelForMarkingId(TLP_2_MARKING_IDS[level])).toBe(level);
    }
    // TLP 1.0 TLP:WHITE (STIX 2.1 §7.2.1.4) is not a TLP 2.0 marking.
    expect(tlpLevelForMarkingId('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9')).toBeUndefined();
  });
});

describe('strictestTlpOfMarkings', () => {
  it('reads TLP 2.0 and TLP 1.0 marking ids, the strictest wins, other markings are ignored', () => {
    expect(
      strictestTlpOfMarkings([
        tlpMarkingFor(TlpLevel.Green).id,
        'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', // TLP 1.0 AMBER
        'marking-definition--00000000-0000-4000-8000-000000000000',
        42,
      ]),
    ).toBe(TlpLevel.Amber);
    expect(tlpLevelForAnyMarkingId('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9')).toBe(TlpLevel.Clear);
    expect(strictestTlpOfMarkings([])).toBeUndefined();
  });
});
