/**
 * Reference Security Incident Taxonomy (RSIT) of the TF-CSIRT / ENISA Reference Security Incident Taxonomy Task
 * Force: classification (MISP "predicate") → incident types ("values"), with their English names ("expanded").
 *
 * Copied from the machine-readable taxonomy, version 1003:
 *   https://github.com/enisaeu/Reference-Security-Incident-Taxonomy-Task-Force/blob/master/working_copy/machinev1
 *   (last changed in commit 901c69c124ae33c7827b07a396424d57a1a43645, 2026-05-12)
 * which is identical in values to MISP's copy, https://github.com/MISP/misp-taxonomies/blob/main/rsit/machinetag.json
 * (commit f05a6c061685923b878335e81c0750f9e5884665). Older RSIT versions used `unauthorized-use-of-resources`;
 * the current value is `unauthorised-use-of-resources` and only current values are accepted.
 */
export const RSIT_TAXONOMY = {
  'abusive-content': {
    label: 'Abusive Content',
    types: {
      spam: 'Spam',
      'harmful-speech': 'Harmful Speech',
      violence: '(Child) Sexual Exploitation/Sexual/Violent Content',
    },
  },
  'malicious-code': {
    label: 'Malicious Code',
    types: {
      'infected-system': 'Infected System',
      'c2-server': 'C2 Server',
      'malware-distribution': 'Malware Distribution',
      'malware-configuration': 'Malware Configuration',
    },
  },
  'information-gathering': {
    label: 'Information Gathering',
    types: {
      scanner: 'Scanning',
      sniffing: 'Sniffing',
      'social-engineering': 'Social Engineering',
    },
  },
  'intrusion-attempts': {
    label: 'Intrusion Attempts',
    types: {
      'ids-alert': 'Exploitation of Known Vulnerabilities',
      'brute-force': 'Login Attempts',
      exploit: 'New Attack Signature',
    },
  },
  intrusions: {
    label: 'Intrusions',
    types: {
      'privileged-account-compromise': 'Privileged Account Compromise',
      'unprivileged-account-compromise': 'Unprivileged Account Compromise',
      'application-compromise': 'Application Compromise',
      'system-compromise': 'System Compromise',
      burglary: 'Burglary',
    },
  },
  availability: {
    label: 'Availability',
    types: {
      dos: 'Denial of Service',
      ddos: 'Distributed Denial of Service',
      misconfiguration: 'Misconfiguration',
      sabotage: 'Sabotage',
      outage: 'Outage',
    },
  },
  'information-content-security': {
    label: 'Information Content Security',
    types: {
      'unauthorised-information-access': 'Unauthorised Access to Information',
      'unauthorised-information-modification': 'Unauthorised Modification of Information',
      'data-loss': 'Data Loss',
      'data-leak': 'Leak of Confidential Information',
    },
  },
  fraud: {
    label: 'Fraud',
    types: {
      'unauthorised-use-of-resources': 'Unauthorised Use of Resources',
      copyright: 'Copyright',
      masquerade: 'Masquerade',
      phishing: 'Phishing',
    },
  },
  vulnerable: {
    label: 'Vulnerable',
    types: {
      'weak-crypto': 'Weak Cryptography',
      'ddos-amplifier': 'DDoS Amplifier',
      'potentially-unwanted-accessible': 'Potentially Unwanted Accessible Services',
      'information-disclosure': 'Information Disclosure',
      'vulnerable-system': 'Vulnerable System',
    },
  },
  other: {
    label: 'Other',
    types: {
      other: 'Uncategorised',
      undetermined: 'Undetermined',
    },
  },
  test: {
    label: 'Test',
    types: {
      test: 'Test',
    },
  },
} as const satisfies Record<string, { label: string; types: Record<string, string> }>;

export type RsitClassification = keyof typeof RSIT_TAXONOMY;

/** The types of one classification, or (by default) of any classification. */
export type RsitType<C extends RsitClassification = RsitClassification> = C extends RsitClassification
  ? keyof (typeof RSIT_TAXONOMY)[C]['types']
  : never;

/** A classification with one of its own types (a mismatched pair does not type-check). */
export type RsitPair = {
  [C in RsitClassification]: { classification: C; type: RsitType<C> };
}[RsitClassification];

/** All classifications, in taxonomy order; for `@IsIn(RSIT_CLASSIFICATIONS)`. */
export const RSIT_CLASSIFICATIONS = Object.keys(RSIT_TAXONOMY) as readonly RsitClassification[];

/** Every type of every classification (each is unique across the taxonomy); for `@IsIn(RSIT_TYPES)`. */
export const RSIT_TYPES: readonly RsitType[] = RSIT_CLASSIFICATIONS.flatMap(
  (classification) => Object.keys(RSIT_TAXONOMY[classification].types) as RsitType[],
);

export function isRsitClassification(value: unknown): value is RsitClassification {
  return typeof value === 'string' && Object.hasOwn(RSIT_TAXONOMY, value);
}

/** True when `type` is one of `classification`'s types; `@IsIn` checks each field alone, this checks the pair. */
export function isValidRsit(classification: string, type: string): boolean {
  return isRsitClassification(classification) && Object.hasOwn(RSIT_TAXONOMY[classification].types, type);
}
