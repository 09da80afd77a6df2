import { refang } from './refang';

describe('refang', () => {
  it.each([
    ['hxxp://evil[.]example/payload.bin', 'http://evil.example/payload.bin'],
    ['hxxps://login-microsoft(.)example{.}com/owa', 'https://login-microsoft.example.com/owa'],
    ['HXXPS://cdn[DOT]example[.]org', 'https://cdn.example.org'],
    ['fxp://files[.]example/drop.zip', 'ftp://files.example/drop.zip'],
    ['hxxp[:]//198[.]51[.]100[.]7:8080/gate.php', 'http://198.51.100.7:8080/gate.php'],
    ['https[://]example[.]com/', 'https://example.com/'],
    ['billing[@]paypa1-support[.]example', 'billing@paypa1-support.example'],
    ['billing[at]paypa1-support[.]example', 'billing@paypa1-support.example'],
    ['2001:db8[:]:1', '2001:db8::1'],
  ])('%s → %s', (defanged, fanged) => {
    expect(refang(defanged)).toBe(fanged);
  });

  it('leaves already fanged values untouched', () => {
    const value = 'https://example.org/a?b=c';
    expect(refang(value)).toBe(value);
  });

  it('only rewrites hxxp/fxp as a scheme at the start', () => {
    expect(refang('hxxpfoo.example')).toBe('hxxpfoo.example');
    expect(refang('https://example.org/hxxp://x')).toBe('https://example.org/hxxp://x');
  });

  it('does not touch bracketed IPv6 URL hosts', () => {
    expect(refang('http://[2001:db8::1]/')).toBe('http://[2001:db8::1]/');
    expect(refang('http://[::]/')).toBe('http://[::]/');
  });

  it('does not refang loose forms such as "dot" without brackets', () => {
    expect(refang('example dot com')).toBe('example dot com');
  });
});
