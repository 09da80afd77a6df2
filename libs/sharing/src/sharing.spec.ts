import { TlpLevel } from '@vigia/indicators';
import {
  NETWORK_AUDIENCE,
  SharingScope,
  Viewer,
  audienceKeyOf,
  isNetworkAudience,
  mayReceive,
  seenByEveryoneWhoSees,
} from './sharing';

// Who may see what is covered case by case, in TypeScript and in SQL, by test/sharing/sharing-rule.e2e-spec.ts.

const OWNER = '0b6f1c1e-8a4e-4f43-9a51-0d3c2f7e9a11';
const OTHER_OWNER = '5e2d7a90-1c3b-4e6f-8d24-7a9b0c1d2e33';
const A = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const B = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const C = 'c0ffee00-1234-4abc-9def-0123456789ab';

const scope = (overrides: Partial<SharingScope> = {}): SharingScope => ({
  ownerId: OWNER,
  tlp: TlpLevel.Amber,
  recipients: [],
  ...overrides,
});

const RESTRICTED_KEY = /^aud-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('audienceKeyOf', () => {
  it.each([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber])('%s shared with the network: the network key', (tlp) => {
    expect(audienceKeyOf(scope({ tlp }))).toBe(NETWORK_AUDIENCE);
    expect(audienceKeyOf(scope({ tlp, ownerId: OTHER_OWNER }))).toBe(NETWORK_AUDIENCE);
  });

  it('the same key whatever the ids’ case, and whether the owner lists itself', () => {
    const listed = scope({ tlp: TlpLevel.Red, recipients: [A] });
    expect(audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [A.toUpperCase()] }))).toBe(audienceKeyOf(listed));
    expect(audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [A, OWNER] }))).toBe(audienceKeyOf(listed));
  });

  it('a list naming only the owner is not the whole network', () => {
    for (const tlp of [TlpLevel.Clear, TlpLevel.AmberStrict]) {
      expect(audienceKeyOf(scope({ tlp, recipients: [OWNER] }))).not.toBe(audienceKeyOf(scope({ tlp })));
    }
  });

  it('amber+strict shared with the network: a restricted key of its owner', () => {
    const key = audienceKeyOf(scope({ tlp: TlpLevel.AmberStrict }));
    expect(key).toMatch(RESTRICTED_KEY);
    expect(key).not.toBe(NETWORK_AUDIENCE);
    expect(audienceKeyOf(scope({ tlp: TlpLevel.AmberStrict, ownerId: OTHER_OWNER }))).not.toBe(key);
  });

  it.each([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber, TlpLevel.AmberStrict, TlpLevel.Red])(
    '%s shared with listed recipients: a restricted key',
    (tlp) => {
      expect(audienceKeyOf(scope({ tlp, recipients: [A] }))).toMatch(RESTRICTED_KEY);
    },
  );

  it('is the same whatever the order of the recipients or their duplicates', () => {
    const key = audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [A, B, C] }));
    expect(audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [C, B, A] }))).toBe(key);
    expect(audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [B, A, C, A, B] }))).toBe(key);
    expect(audienceKeyOf(scope({ tlp: TlpLevel.Red, recipients: [A, B, C] }))).toBe(key);
  });

  it('differs for a different owner, level or recipient set', () => {
    const base = scope({ tlp: TlpLevel.Amber, recipients: [A, B] });
    const keys = [
      base,
      { ...base, ownerId: OTHER_OWNER },
      { ...base, tlp: TlpLevel.Green },
      { ...base, tlp: TlpLevel.AmberStrict },
      { ...base, tlp: TlpLevel.Red },
      { ...base, recipients: [A] },
      { ...base, recipients: [B] },
      { ...base, recipients: [A, C] },
      { ...base, recipients: [A, B, C] },
      { ...base, tlp: TlpLevel.AmberStrict, recipients: [] },
    ].map(audienceKeyOf);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('isNetworkAudience', () => {
  it.each([
    [TlpLevel.Clear, [], true],
    [TlpLevel.Green, [], true],
    [TlpLevel.Amber, [], true],
    [TlpLevel.AmberStrict, [], false],
    [TlpLevel.Red, [], false],
    [TlpLevel.Clear, [A], false],
    [TlpLevel.Amber, [A, B], false],
  ])('%s to %j: %s', (tlp, recipients, expected) => {
    expect(isNetworkAudience({ tlp, recipients })).toBe(expected);
  });
});

describe('mayReceive', () => {
  const recipient: Viewer = { organisationId: A, active: true };

  it('TLP:RED only through a channel that accepts RED', () => {
    const red = scope({ tlp: TlpLevel.Red, recipients: [A] });
    expect(mayReceive(recipient, red, { acceptsRed: true })).toBe(true);
    expect(mayReceive(recipient, red, { acceptsRed: false })).toBe(false);
    expect(mayReceive({ organisationId: OWNER, active: true }, red, { acceptsRed: false })).toBe(false);
  });

  it.each([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber, TlpLevel.AmberStrict])('%s through any channel', (tlp) => {
    for (const recipients of [[], [A]]) {
      expect(mayReceive(recipient, scope({ tlp, recipients }), { acceptsRed: false })).toBe(true);
      expect(mayReceive(recipient, scope({ tlp, recipients }), { acceptsRed: true })).toBe(true);
    }
  });

  it.each([TlpLevel.Clear, TlpLevel.Amber, TlpLevel.Red])('%s: never what the viewer may not see', (tlp) => {
    const restricted = scope({ tlp, recipients: [B] });
    expect(mayReceive(recipient, restricted, { acceptsRed: true })).toBe(false);
    expect(mayReceive({ ...recipient, active: false }, scope({ tlp, recipients: [A] }), { acceptsRed: true })).toBe(
      false,
    );
  });
});

describe('seenByEveryoneWhoSees', () => {
  const network = scope({ tlp: TlpLevel.Green });
  const toA = scope({ ownerId: B, tlp: TlpLevel.Red, recipients: [OWNER, A] });
  it('what every member sees is seen by any audience', () => {
    expect(seenByEveryoneWhoSees(scope({ ownerId: B, tlp: TlpLevel.Amber }), toA)).toBe(true);
    expect(seenByEveryoneWhoSees(scope({ ownerId: B, tlp: TlpLevel.AmberStrict }), network)).toBe(true);
  });
  it('a restricted statement is not seen by the network’s object', () => {
    expect(seenByEveryoneWhoSees(toA, network)).toBe(false);
    expect(seenByEveryoneWhoSees(scope({ ownerId: B, tlp: TlpLevel.Red, recipients: [OWNER] }), network)).toBe(false);
  });
  it('a restricted statement reaching every member of a restricted audience', () => {
    const audience = scope({ tlp: TlpLevel.Red, recipients: [A] });
    expect(seenByEveryoneWhoSees(toA, audience)).toBe(true);
    expect(seenByEveryoneWhoSees(toA, scope({ tlp: TlpLevel.Red, recipients: [A, C] }))).toBe(false);
    expect(seenByEveryoneWhoSees(toA, scope({ tlp: TlpLevel.Red }))).toBe(true);
    expect(seenByEveryoneWhoSees(toA, scope({ tlp: TlpLevel.AmberStrict }))).toBe(false);
  });
});
