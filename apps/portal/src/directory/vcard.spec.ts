import { escapeText, foldLine, parameterValue, structuredValue, vcard, vcardTimestamp } from './vcard';

/** Unfolds per RFC 6350 §3.2: a line break followed by one space or tab is removed. */
const unfold = (text: string): string => text.replace(/\r\n[ \t]/g, '');

describe('vCard escaping (RFC 6350 §3.4)', () => {
  it('escapes backslash, comma, semicolon and every kind of line break in text values', () => {
    expect(escapeText('a\\b')).toBe('a\\\\b');
    expect(escapeText('Montevideo, Uruguay; 24/7')).toBe('Montevideo\\, Uruguay\\; 24/7');
    expect(escapeText('one\ntwo\r\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
    // The backslash is escaped first, so an escaped comma does not get its backslash doubled.
    expect(escapeText('\\,')).toBe('\\\\\\,');
  });

  it('leaves other characters, non-ASCII ones included, as they are', () => {
    expect(escapeText('Équipe de réponse: CERT.br — São Paulo')).toBe('Équipe de réponse: CERT.br — São Paulo');
  });

  it('escapes each component of a structured value and joins them with semicolons', () => {
    expect(structuredValue(['CERT; Uruguay', 'Ops, night'])).toBe('CERT\\; Uruguay;Ops\\, night');
  });

  it('quotes parameter values with commas, semicolons or colons and drops characters they may not hold', () => {
    expect(parameterValue('work')).toBe('work');
    expect(parameterValue('voice,work')).toBe('"voice,work"');
    expect(parameterValue('application/pgp-keys')).toBe('application/pgp-keys');
    expect(parameterValue('a"b\nc:d')).toBe('"abc:d"');
  });
});

describe('vCard folding (RFC 6350 §3.2)', () => {
  it('keeps a line of 75 octets as it is', () => {
    const line = `NOTE:${'x'.repeat(70)}`;
    expect(foldLine(line)).toBe(line);
  });

  it('folds longer lines into lines of at most 75 octets that unfold to the original', () => {
    const line = `NOTE:${'x'.repeat(300)}`;
    const folded = foldLine(line);
    for (const physical of folded.split('\r\n')) expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
    expect(unfold(folded)).toBe(line);
  });

  it('never splits a multi-byte UTF-8 character across lines', () => {
    const line = `FN:${'ü'.repeat(100)}`;
    const folded = foldLine(line);
    for (const physical of folded.split('\r\n')) {
      expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
      expect(physical).not.toContain('\uFFFD');
      expect(Buffer.from(physical, 'utf8').toString('utf8')).toBe(physical);
    }
    expect(unfold(folded)).toBe(line);
  });
});

describe('vcard', () => {
  it('writes BEGIN, VERSION:4.0, the properties and END, each line ending in CRLF', () => {
    const card = vcard([
      { name: 'FN', value: escapeText('Duty, officer') },
      { name: 'TEL', parameters: { VALUE: 'uri', TYPE: parameterValue('voice,work') }, value: 'tel:+59821234567' },
    ]);
    expect(card).toBe(
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Duty\\, officer\r\nTEL;VALUE=uri;TYPE="voice,work":tel:+59821234567\r\n' +
        'END:VCARD\r\n',
    );
  });

  it('writes timestamps in the basic ISO 8601 form', () => {
    expect(vcardTimestamp(new Date('2025-11-30T12:34:56.789Z'))).toBe('20251130T123456Z');
  });
});
