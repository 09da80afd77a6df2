import { isRsitClassification, isValidRsit, RSIT_CLASSIFICATIONS, RSIT_TAXONOMY, RSIT_TYPES, RsitPair } from './rsit';

describe('RSIT taxonomy', () => {
  it('has the eleven classifications in taxonomy order', () => {
    expect(RSIT_CLASSIFICATIONS).toEqual([
      'abusive-content',
      'malicious-code',
      'information-gathering',
      'intrusion-attempts',
      'intrusions',
      'availability',
      'information-content-security',
      'fraud',
      'vulnerable',
      'other',
      'test',
    ]);
  });

  it('has the types of version 1003', () => {
    expect(Object.keys(RSIT_TAXONOMY['malicious-code'].types)).toEqual([
      'infected-system',
      'c2-server',
      'malware-distribution',
      'malware-configuration',
    ]);
    expect(Object.keys(RSIT_TAXONOMY.intrusions.types)).toContain('system-compromise');
    expect(Object.keys(RSIT_TAXONOMY['information-content-security'].types)).toContain('data-leak');
    expect(Object.keys(RSIT_TAXONOMY.other.types)).toEqual(['other', 'undetermined']);
    expect(RSIT_TYPES).toHaveLength(39);
  });

  it('lists every type once, so RSIT_TYPES works with @IsIn', () => {
    expect(new Set(RSIT_TYPES).size).toBe(RSIT_TYPES.length);
  });

  it('validates classification/type pairs', () => {
    expect(isValidRsit('malicious-code', 'c2-server')).toBe(true);
    expect(isValidRsit('fraud', 'phishing')).toBe(true);
    expect(isValidRsit('fraud', 'unauthorised-use-of-resources')).toBe(true);
    expect(isValidRsit('fraud', 'unauthorized-use-of-resources')).toBe(false); // pre-1003 spelling
    expect(isValidRsit('malicious-code', 'phishing')).toBe(false);
    expect(isValidRsit('malware', 'c2-server')).toBe(false);
    expect(isValidRsit('fraud', 'toString')).toBe(false);
    expect(isValidRsit('constructor', 'name')).toBe(false);
  });

  it('recognises classifications', () => {
    expect(isRsitClassification('availability')).toBe(true);
    expect(isRsitClassification('Availability')).toBe(false);
    expect(isRsitClassification(undefined)).toBe(false);
  });

  it('types pairs precisely', () => {
    const pair: RsitPair = { classification: 'availability', type: 'ddos' };
    // @ts-expect-error phishing is a fraud type, not an availability type
    const wrong: RsitPair = { classification: 'availability', type: 'phishing' };
    expect([pair, wrong]).toHaveLength(2);
  });
});
