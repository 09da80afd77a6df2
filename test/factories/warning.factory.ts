import { randomUUID } from 'node:crypto';
import { WARNING_EVENT_TYPE, WarningEnvelope, newWarningId } from '@vigia/warning-stream';

/** A well-formed warning envelope for `organisationId`; override any field. */
export function warningEnvelope(organisationId: string, overrides: Partial<WarningEnvelope> = {}): WarningEnvelope {
  return {
    id: newWarningId(),
    type: WARNING_EVENT_TYPE,
    created_at: new Date().toISOString(),
    organisation_id: organisationId,
    subscription_ids: [],
    report: {
      id: randomUUID(),
      title: 'Phishing campaign impersonating the tax agency',
      classification: 'fraud',
      type: 'phishing',
      severity: 'high',
      tlp: 'amber',
      reporter: { id: randomUUID(), name: 'CSIRT Reporter' },
    },
    indicators: [
      {
        stix_id: `indicator--${randomUUID()}`,
        type: 'domain',
        value: 'login-dgi.example',
        confidence: 90,
        org_count: 2,
        first_seen: null,
        last_seen: null,
        valid_until: null,
      },
    ],
    bundle: { type: 'bundle', id: `bundle--${randomUUID()}` },
    ...overrides,
  };
}
