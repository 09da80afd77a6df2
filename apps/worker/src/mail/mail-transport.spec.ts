import { asciiAddress } from './mail-transport';

describe('asciiAddress', () => {
  it('writes an IDN domain in punycode and leaves ASCII addresses as they are', () => {
    expect(asciiAddress('duty@bücher.example')).toBe('duty@xn--bcher-kva.example');
    expect(asciiAddress('Duty+CERT@Ñandú.Gub.UY')).toBe('Duty+CERT@xn--and-6ma2c.gub.uy');
    expect(asciiAddress('soc@csirt.example')).toBe('soc@csirt.example');
    expect(asciiAddress('no-at-sign')).toBe('no-at-sign');
  });
});
