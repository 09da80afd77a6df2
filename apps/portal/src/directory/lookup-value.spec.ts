import { VigiaException } from '@vigia/common';
import { IndicatorType } from '@vigia/indicators';
import { parentDomains, readLookupValue } from './lookup-value';

const reasonOf = (raw: string): string => {
  try {
    readLookupValue(raw);
  } catch (error) {
    if (error instanceof VigiaException) return error.details?.[0]?.reason ?? error.message;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
};

describe('readLookupValue', () => {
  it('reads AS numbers with or without the AS prefix', () => {
    expect(readLookupValue('AS64500')).toEqual({ type: IndicatorType.Asn, value: '64500', asn: 64500 });
    expect(readLookupValue(' 64500 ')).toEqual({ type: IndicatorType.Asn, value: '64500', asn: 64500 });
    expect(readLookupValue('as1.10')).toMatchObject({ type: IndicatorType.Asn, asn: 65546 });
  });

  it('reads IPv4 and IPv6 addresses canonically, refanged', () => {
    expect(readLookupValue('198[.]51.100.7')).toEqual({ type: IndicatorType.Ipv4, value: '198.51.100.7' });
    expect(readLookupValue('2001:DB8:0:0::1')).toEqual({ type: IndicatorType.Ipv6, value: '2001:db8::1' });
  });

  it('reads IDN domains as punycode, with every parent domain to match suffixes against', () => {
    const read = readLookupValue('www.Bücher.example');
    expect(read).toEqual({
      type: IndicatorType.Domain,
      value: 'www.xn--bcher-kva.example',
      suffixes: ['www.xn--bcher-kva.example', 'xn--bcher-kva.example', 'example'],
    });
    expect(readLookupValue('www.xn--bcher-kva.example')).toEqual(read);
  });

  it('refuses garbage with the reason', () => {
    expect(reasonOf('AS4294967296')).toMatch(/out of range/);
    expect(reasonOf('300.1.2.3')).toMatch(/300\.1\.2\.3/);
    expect(reasonOf('not a domain!')).toMatch(/not allowed/);
    expect(reasonOf('gggg::zz')).toBeTruthy();
  });

  it('lists a domain and its parents', () => {
    expect(parentDomains('a.b.example')).toEqual(['a.b.example', 'b.example', 'example']);
  });
});
