import { IndicatorType } from './indicator-type';
import { canonicaliseIndicator } from './canonicalise-indicator';

const T = IndicatorType;

function expectValue(type: IndicatorType, raw: string, value: string, isCidr = false): void {
  expect(canonicaliseIndicator(type, raw)).toEqual({ ok: true, value, isCidr });
}

function expectReason(type: IndicatorType, raw: string, reason: string | RegExp): void {
  const result = canonicaliseIndicator(type, raw);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(reason);
}

describe('canonicaliseIndicator', () => {
  describe('common rules', () => {
    it('trims and refangs before validating', () => {
      expectValue(T.Domain, '  update-adobe[.]example[.]com \n', 'update-adobe.example.com');
      expectValue(T.Ipv4, '185[.]220[.]101[.]4', '185.220.101.4');
    });

    it('rejects empty, over-long and non-string values', () => {
      expectReason(T.Domain, '   ', 'value is empty');
      expectReason(T.Url, `https://example.com/${'a'.repeat(9000)}`, /at most 8192/);
      expectReason(T.Domain, 42 as unknown as string, 'value must be a string');
    });

    it('rejects invisible characters copied along with the value', () => {
      expectReason(T.Domain, 'exa\u200bmple.com', 'invisible or control character U+200B at position 4');
      expectReason(T.Sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709\u0000', /U\+0000/);
    });

    it('rejects an unknown type from an untyped caller', () => {
      expectReason('sha3' as IndicatorType, 'ab', 'unknown indicator type "sha3"');
    });
  });

  describe('ipv4', () => {
    it('accepts dotted decimal', () => {
      expectValue(T.Ipv4, '203.0.113.45', '203.0.113.45');
      expectValue(T.Ipv4, '0.0.0.0', '0.0.0.0');
    });

    it.each(['1.2.3', '01.2.3.4', '0x7f.0.0.1', '3232235777'])(
      'rejects the ambiguous short/octal/hex form %s',
      (raw) => {
        expectReason(T.Ipv4, raw, /not a dotted-decimal IPv4 address/);
      },
    );

    it('rejects values that are no address', () => {
      expectReason(T.Ipv4, '256.1.1.1', '"256.1.1.1" is not a valid IPv4 address');
      expectReason(T.Ipv4, 'example.com', /not a valid IPv4 address/);
    });

    it('rejects an IPv6 address, hinting at IPv4-mapped ones', () => {
      expectReason(T.Ipv4, '2001:db8::1', /is IPv6; declare it as ipv6$/);
      expectReason(T.Ipv4, '::ffff:192.0.2.1', /IPv4-mapped form of 192\.0\.2\.1/);
    });

    it('accepts a CIDR network', () => {
      expectValue(T.Ipv4, '198.51.100.0/24', '198.51.100.0/24', true);
      expectValue(T.Ipv4, '10.0.0.0/8', '10.0.0.0/8', true);
    });

    it('rejects a CIDR with host bits set and suggests the network', () => {
      expectReason(T.Ipv4, '10.0.0.1/8', 'CIDR has host bits set; did you mean 10.0.0.0/8?');
      expectReason(T.Ipv4, '198.51.100.77/24', 'did you mean 198.51.100.0/24?');
    });

    it('turns a /32 into a single address', () => {
      expectValue(T.Ipv4, '203.0.113.9/32', '203.0.113.9');
    });

    it('rejects bad and too broad prefixes', () => {
      expectReason(T.Ipv4, '10.0.0.0/33', /from 0 to 32, got "33"/);
      expectReason(T.Ipv4, '10.0.0.0/', /got ""/);
      expectReason(T.Ipv4, '10.0.0.0/08', /got "08"/);
      expectReason(T.Ipv4, '0.0.0.0/0', 'IPv4 network /0 is too broad for an indicator (the broadest allowed is /8)');
    });
  });

  describe('ipv6', () => {
    it('outputs RFC 5952 text', () => {
      expectValue(T.Ipv6, '2001:DB8:0:0:0:0:0:1', '2001:db8::1');
      expectValue(T.Ipv6, '2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1');
      expectValue(T.Ipv6, '2001:db8[:]:ff00:42:8329', '2001:db8::ff00:42:8329');
      expectValue(T.Ipv6, '[2001:db8::1]', '2001:db8::1');
    });

    it('accepts CIDR networks and rejects host bits', () => {
      expectValue(T.Ipv6, '2001:DB8:AB00::/40', '2001:db8:ab00::/40', true);
      expectReason(T.Ipv6, '2001:db8::1/64', 'CIDR has host bits set; did you mean 2001:db8::/64?');
      expectValue(T.Ipv6, '2001:db8::1/128', '2001:db8::1');
      expectReason(T.Ipv6, '::/0', /too broad/);
      expectReason(T.Ipv6, '2001:db8::/129', /from 0 to 128/);
    });

    it('rejects IPv4, IPv4-mapped and zoned addresses', () => {
      expectReason(T.Ipv6, '192.0.2.1', /is IPv4; declare it as ipv4/);
      expectReason(T.Ipv6, '::ffff:192.0.2.1', 'submit the IPv4 address 192.0.2.1 as ipv4 instead');
      expectReason(T.Ipv6, 'fe80::1%eth0', /zone index/);
      expectReason(T.Ipv6, '2001:db8:::1', /not a valid IPv6 address/);
    });
  });

  describe('domain', () => {
    it('lower-cases and strips one trailing dot', () => {
      expectValue(T.Domain, 'Secure-Login.PayPa1.example.', 'secure-login.paypa1.example');
      expectReason(T.Domain, 'example.com..', /empty label/);
    });

    it('converts IDN to punycode', () => {
      expectValue(T.Domain, 'bücher.example', 'xn--bcher-kva.example');
      expectValue(T.Domain, 'Münchner-Stadtwerke.de', 'xn--mnchner-stadtwerke-m6b.de');
      expectValue(T.Domain, 'xn--bcher-kva.example', 'xn--bcher-kva.example');
      expectValue(T.Domain, 'ＥＸＡＭＰＬＥ．com', 'example.com');
      expectReason(T.Domain, 'xn--zz.com', /not a valid domain name/);
    });

    it('accepts known and unknown TLDs, and underscores', () => {
      expectValue(T.Domain, 'evil.co.uk', 'evil.co.uk');
      expectValue(T.Domain, 'dc01.corp.local', 'dc01.corp.local');
      expectValue(T.Domain, '_dmarc.example.org', '_dmarc.example.org');
    });

    it('rejects IPs, URLs, emails and public suffixes', () => {
      expectReason(T.Domain, '203.0.113.45', /is an IP address, not a domain; submit it as ipv4/);
      expectReason(T.Domain, '0x7f.1', /is an IP address/);
      expectReason(T.Domain, '1.2.3.999', /ends in a numeric label/);
      expectReason(T.Domain, 'https://example.com/x', /is a URL, not a domain/);
      expectReason(T.Domain, 'user@example.com', /looks like an email address/);
      expectReason(T.Domain, 'co.uk', /is a public suffix/);
      expectReason(T.Domain, 'localhost', /has no top-level domain/);
    });

    it('rejects invalid host names', () => {
      expectReason(T.Domain, 'exa mple.com', 'character whitespace is not allowed in a domain name');
      expectReason(T.Domain, '*.example.com', "character '*' is not allowed");
      expectReason(T.Domain, 'ex%41mple.com', "character '%' is not allowed");
      expectReason(T.Domain, '-evil.example', /may only hold letters, digits, underscores and inner hyphens/);
      expectReason(T.Domain, 'evil-.example', /inner hyphens/);
    });

    it('limits labels to 63 and names to 253 characters', () => {
      expectValue(T.Domain, `${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`);
      expectReason(T.Domain, `${'a'.repeat(64)}.example`, /is 64 characters long; DNS allows at most 63/);
      const long = `${Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.')}.com`;
      expectReason(T.Domain, long, /DNS allows at most 253/);
    });
  });

  describe('url', () => {
    it('refangs and serialises with WHATWG URL', () => {
      expectValue(
        T.Url,
        'hxxps://taxrefund-portal[.]example/secure/login.php?ref=TR-2024',
        'https://taxrefund-portal.example/secure/login.php?ref=TR-2024',
      );
      expectValue(T.Url, 'HTTP://Evil.Example:80', 'http://evil.example/');
    });

    it('keeps path, query and fragment as written but punycodes the host', () => {
      expectValue(
        T.Url,
        'https://Bücher.example/Konto/Login.ASPX?Session=AbC&next=%2Fhome#Top',
        'https://xn--bcher-kva.example/Konto/Login.ASPX?Session=AbC&next=%2Fhome#Top',
      );
      expectValue(T.Url, 'http://paypal.com@evil.example/', 'http://paypal.com@evil.example/');
    });

    it('canonicalises IP hosts', () => {
      expectValue(T.Url, 'http://[2001:DB8:0::1]:8443/c2', 'http://[2001:db8::1]:8443/c2');
      expectValue(T.Url, 'http://198.51.100.7/gate.php', 'http://198.51.100.7/gate.php');
    });

    it('canonicalises the opaque host of sftp URLs like a domain', () => {
      expectValue(T.Url, 'sftp://Drop@Bücher.Example:2222/in', 'sftp://Drop@xn--bcher-kva.example:2222/in');
    });

    it.each(['ftp', 'ws', 'wss'])('accepts the %s scheme', (scheme) => {
      expectValue(T.Url, `${scheme}://files.example/x`, `${scheme}://files.example/x`);
    });

    it('rejects other schemes, missing scheme and missing or invalid host', () => {
      expectReason(
        T.Url,
        'javascript://alert(1)',
        'URL scheme "javascript" is not accepted; use one of http, https, ftp, sftp, ws, wss',
      );
      expectReason(T.Url, 'file:///etc/passwd', /scheme "file" is not accepted/);
      expectReason(T.Url, 'evil.example/login', /is not an absolute URL/);
      expectReason(T.Url, 'sftp:///upload', /has no host/);
      expectReason(T.Url, 'http://', /is not a valid URL/);
      expectReason(
        T.Url,
        'http://intranet/login',
        'URL host: "intranet" has no top-level domain (expected something like example.org)',
      );
      expectReason(T.Url, 'http://ev!l.example/', /URL host: character '!'/);
    });
  });

  describe('email', () => {
    it('keeps the local part and canonicalises the domain', () => {
      expectValue(T.Email, 'Billing.Dept@PayPa1-Support.Example', 'Billing.Dept@paypa1-support.example');
      expectValue(T.Email, 'invoice[at]bücher[.]example', 'invoice@xn--bcher-kva.example');
      expectValue(T.Email, "o'brien+tag@example.ie", "o'brien+tag@example.ie");
    });

    it('requires exactly one @', () => {
      expectReason(T.Email, 'billing.example.com', "has no '@'");
      expectReason(T.Email, 'a@b@example.com', "more than one '@'");
      expectReason(T.Email, '@example.com', 'the part before the @ is empty');
    });

    it('rejects bad local parts and domains with reasons', () => {
      expectReason(T.Email, 'Tax Office <noreply@tax.example>', /without a display name/);
      expectReason(T.Email, 'mailto:noreply@tax.example', 'remove the "mailto:" prefix');
      expectReason(T.Email, 'no reply@tax.example', /contains whitespace/);
      expectReason(T.Email, `${'a'.repeat(65)}@example.com`, /65 characters long; at most 64/);
      expectReason(T.Email, 'noreply@localhost', 'email domain: "localhost" has no top-level domain');
      expectReason(T.Email, 'noreply@[192.0.2.1]', /email domain: character '\['/);
      expectReason(
        T.Email,
        `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`,
        /at most 254/,
      );
    });
  });

  describe('hashes', () => {
    it('lower-cases hex of the right length', () => {
      expectValue(T.Md5, 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e');
      expectValue(T.Sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
      expectValue(
        T.Sha256,
        'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      expectValue(T.Sha512, 'cf83'.repeat(32), 'cf83'.repeat(32));
    });

    it('says which algorithm a wrong-length hash looks like', () => {
      expectReason(
        T.Sha256,
        'da39a3ee5e6b4b0d3255bfef95601890afd80709',
        'sha256 must be 64 hex characters, got 40 (looks like sha1)',
      );
      expectReason(
        T.Md5,
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'md5 must be 32 hex characters, got 64 (looks like sha256)',
      );
      expectReason(T.Sha512, 'ab'.repeat(48), 'sha512 must be 128 hex characters, got 96 (looks like sha384)');
      expectReason(T.Sha1, 'abc123', 'sha1 must be 40 hex characters, got 6');
    });

    it('rejects non-hex characters with their position', () => {
      expectReason(
        T.Md5,
        'd41d8cd98f00b204e9800998ecf8427g',
        "md5 must be 32 hex characters (0-9, a-f); found 'g' at position 32",
      );
      expectReason(T.Sha256, 'sha256:e3b0c442', /found 's' at position 1/);
      expectReason(T.Md5, 'd41d8cd9 8f00b204e9800998ecf8427e', /found whitespace at position 9/);
    });
  });

  describe('cve', () => {
    it('upper-cases and accepts long sequence numbers', () => {
      expectValue(T.Cve, 'cve-2021-44228', 'CVE-2021-44228');
      expectValue(T.Cve, 'CVE-2014-0160', 'CVE-2014-0160');
      expectValue(T.Cve, 'CVE-2023-1234567', 'CVE-2023-1234567');
      expectValue(T.Cve, 'CVE\u20112024\u20113400', 'CVE-2024-3400'); // non-breaking hyphens from a word processor
    });

    it('rejects malformed ids, early years and padded long sequences', () => {
      expectReason(T.Cve, 'CVE-2021-442', /expected CVE-YYYY-NNNN/);
      expectReason(T.Cve, 'CAN-2002-0001', /is not a CVE identifier/);
      expectReason(T.Cve, 'CVE-1998-0001', 'CVE year 1998 is before 1999, when CVE identifiers began');
      expectReason(T.Cve, 'CVE-2021-044228', /has a leading zero/);
    });
  });

  describe('asn', () => {
    it.each([
      ['AS64496', '64496'],
      ['as64496', '64496'],
      ['AS 64496', '64496'],
      ['64496', '64496'],
      ['1.10', '65546'],
      ['AS1.10', '65546'],
      ['4294967294', '4294967294'],
      ['AS13335', '13335'],
    ])('%s → %s', (raw, value) => {
      expectValue(T.Asn, raw, value);
    });

    it('rejects out-of-range and malformed values', () => {
      expectReason(T.Asn, '4294967296', 'AS number 4294967296 is out of range (0-4294967295)');
      expectReason(T.Asn, '1.65536', /has a part above 65535/);
      expectReason(T.Asn, 'ASN64496', /is not an AS number/);
      expectReason(T.Asn, '-1', /is not an AS number/);
    });

    it.each([
      ['AS0', /RFC 7607/],
      ['23456', /AS_TRANS/],
      ['65535', /RFC 7300/],
      ['4294967295', /RFC 7300/],
      ['65535.65535', /AS4294967295 is reserved/],
    ])('rejects the reserved AS number %s', (raw, reason) => {
      expectReason(T.Asn, raw, reason);
    });
  });
});
