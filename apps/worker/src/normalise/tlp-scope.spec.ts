import { TlpLevel } from '@vigia/indicators';
import { stricterTlp } from './tlp-scope';

const scope = (tlp: TlpLevel, recipients: string[] = []) => ({ tlp, recipients });

describe('stricterTlp', () => {
  it.each([
    [TlpLevel.Clear, TlpLevel.Green, TlpLevel.Green],
    [TlpLevel.Amber, TlpLevel.Green, TlpLevel.Amber],
    [TlpLevel.Amber, TlpLevel.AmberStrict, TlpLevel.AmberStrict],
    [TlpLevel.Red, TlpLevel.Clear, TlpLevel.Red],
  ])('%s and %s make %s', (current, next, expected) => {
    expect(stricterTlp(scope(current), scope(next)).tlp).toBe(expected);
  });

  it('keeps the recipients of the one TLP:RED statement', () => {
    expect(stricterTlp(scope(TlpLevel.Red, ['a', 'b']), scope(TlpLevel.Amber))).toEqual(
      scope(TlpLevel.Red, ['a', 'b']),
    );
    expect(stricterTlp(scope(TlpLevel.Green), scope(TlpLevel.Red, ['c']))).toEqual(scope(TlpLevel.Red, ['c']));
  });

  it('narrows two TLP:RED statements to the recipients both named', () => {
    expect(stricterTlp(scope(TlpLevel.Red, ['a', 'b', 'c']), scope(TlpLevel.Red, ['c', 'b', 'd']))).toEqual(
      scope(TlpLevel.Red, ['b', 'c']),
    );
    expect(stricterTlp(scope(TlpLevel.Red, ['a']), scope(TlpLevel.Red, ['b']))).toEqual(scope(TlpLevel.Red, []));
  });
});
