import { isTlpLevel, parseTlp, TLP_LEVELS, TlpLevel, tlpRank } from './tlp';

describe('tlpRank', () => {
  it('orders levels from least to most restrictive', () => {
    const sorted = [...TLP_LEVELS].sort((a, b) => tlpRank(a) - tlpRank(b));
    expect(sorted).toEqual([TlpLevel.Clear, TlpLevel.Green, TlpLevel.Amber, TlpLevel.AmberStrict, TlpLevel.Red]);
    expect(tlpRank(TlpLevel.AmberStrict)).toBeGreaterThan(tlpRank(TlpLevel.Amber));
  });
});

describe('parseTlp', () => {
  it.each([
    ['TLP:AMBER+STRICT', TlpLevel.AmberStrict],
    ['amber+strict', TlpLevel.AmberStrict],
    ['TLP:AMBER + STRICT', TlpLevel.AmberStrict],
    ['tlp:amber', TlpLevel.Amber],
    ['TLP: RED', TlpLevel.Red],
    ['tlp green', TlpLevel.Green],
    ['TLP_CLEAR', TlpLevel.Clear],
    ['Green', TlpLevel.Green],
    [' clear ', TlpLevel.Clear],
    ['tlp:white', TlpLevel.Clear],
    ['WHITE', TlpLevel.Clear],
  ])('%s → %s', (text, level) => {
    expect(parseTlp(text)).toBe(level);
  });

  it.each(['tlp:ex:chr', 'tlp:unclear', 'amber strict', 'orange', '', 'tlpamber'])('does not recognise %j', (text) => {
    expect(parseTlp(text)).toBeUndefined();
  });
});

describe('isTlpLevel', () => {
  it('accepts only TLP 2.0 values', () => {
    expect(isTlpLevel('amber+strict')).toBe(true);
    expect(isTlpLevel('white')).toBe(false);
    expect(isTlpLevel('toString')).toBe(false);
    expect(isTlpLevel(2)).toBe(false);
  });
});
