import { StixInputError } from './errors';
import { stixNow, toStixTimestamp } from './timestamp';

describe('toStixTimestamp', () => {
  it.each([
    [new Date(Date.UTC(2024, 4, 1, 12, 0, 0)), '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T14:30:05+02:00', '2024-05-01T12:30:05.000Z'],
    ['2024-05-01T12:30:05.123456Z', '2024-05-01T12:30:05.123Z'],
    ['2024-05-01T12:30:05Z', '2024-05-01T12:30:05.000Z'],
  ])('formats %p as %s', (input, expected) => {
    expect(toStixTimestamp(input)).toBe(expected);
    expect(toStixTimestamp(input)).toBe(expected); // again, through the memo of recent strings
  });

  it.each(['not a date', '', new Date(Number.NaN), new Date(Date.UTC(10_000, 0, 1)), new Date(Date.UTC(-1, 0, 1))])(
    'rejects %p',
    (input) => {
      expect(() => toStixTimestamp(input)).toThrow(StixInputError);
    },
  );

  it('keeps answering right once the memo of recent strings is full', () => {
    const inputs = Array.from({ length: 200 }, (_, day) => new Date(Date.UTC(2024, 0, 1 + day)).toISOString());
    for (const input of [...inputs, ...inputs]) expect(toStixTimestamp(input)).toBe(input);
    expect(toStixTimestamp('2024-05-01T14:30:05+02:00')).toBe('2024-05-01T12:30:05.000Z');
  });

  it('stixNow is millisecond-precise UTC', () => {
    expect(stixNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
