/** A valid JSON report body; override any field. */
export function reportBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Phishing campaign impersonating the tax agency',
    description: 'Credential phishing against citizens, hosted on bullet-proof infrastructure.',
    classification: 'fraud',
    type: 'phishing',
    severity: 'high',
    tlp: 'amber',
    first_seen: '2026-11-20T08:00:00Z',
    last_seen: '2026-11-22T18:30:00Z',
    sectors: ['government'],
    countries: ['UY'],
    indicators: [
      { type: 'domain', value: 'login-dgi[.]example', confidence: 90, note: 'landing page' },
      { type: 'ipv4', value: '198.51.100[.]7' },
      { type: 'url', value: 'hxxps://login-dgi.example/auth?x=1' },
      { type: 'sha256', value: 'A'.repeat(64) },
    ],
    ...overrides,
  };
}

/** `count` distinct, valid indicators of mixed types. */
export function manyIndicators(count: number, seed = 0): { type: string; value: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const n = seed * 1_000_000 + index;
    switch (index % 4) {
      case 0:
        return { type: 'ipv4', value: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
      case 1:
        return { type: 'domain', value: `host-${n}.example.com` };
      case 2:
        return { type: 'md5', value: n.toString(16).padStart(32, '0') };
      default:
        return { type: 'url', value: `https://bad-${n}.example.net/payload` };
    }
  });
}
