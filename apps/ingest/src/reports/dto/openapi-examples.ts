// Request examples shown at /docs, one per submission format.

export const JSON_REPORT_EXAMPLE = {
  title: 'Phishing campaign impersonating the national tax agency',
  description: 'Credential phishing against citizens.',
  classification: 'fraud',
  type: 'phishing',
  severity: 'high',
  tlp: 'amber',
  first_seen: '2026-11-20T08:00:00Z',
  countries: ['UY'],
  indicators: [
    { type: 'domain', value: 'login-dgi[.]example', confidence: 90, note: 'landing page' },
    { type: 'ipv4', value: '198.51.100.7' },
    { type: 'url', value: 'hxxps://login-dgi.example/auth' },
    { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  ],
};

export const STIX_BUNDLE_EXAMPLE = {
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-11-21T10:00:00.000Z',
      modified: '2026-11-21T10:00:00.000Z',
      name: 'Botnet C2',
      pattern: "[ipv4-addr:value = '203.0.113.9']",
      pattern_type: 'stix',
      valid_from: '2026-11-21T10:00:00.000Z',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    },
  ],
};

export const CSV_EXAMPLE = [
  'type,value,first_seen,last_seen,confidence,note',
  'ipv4,203.0.113[.]5,2026-11-20T00:00:00Z,2026-11-21T00:00:00Z,70,ssh brute force',
  'domain,scanner.example.org,,,,',
].join('\n');

export const MISP_EVENT_EXAMPLE = {
  Event: {
    info: 'AgentTesla phishing wave',
    date: '2026-11-20',
    threat_level_id: '1',
    Tag: [{ name: 'tlp:amber' }, { name: 'rsit:fraud="phishing"' }],
    Attribute: [
      { type: 'domain', category: 'Network activity', value: 'login-dgi.example', to_ids: true },
      { type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', to_ids: true },
      {
        type: 'filename|sha256',
        category: 'Payload delivery',
        value: 'invoice.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
    ],
  },
};
