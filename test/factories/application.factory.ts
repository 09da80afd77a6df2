/** A 24/7 contact as the applications form and the directory take it; valid as it is. */
export const dutyContact = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'Duty officer',
  role: 'Incident desk',
  email: 'duty@cert.example',
  phone: '+595 21 123 4567',
  time_zone: 'America/Asuncion',
  languages: ['es'],
  hours: '24/7',
  ...overrides,
});

/** An application as the public form sends it, without its form token; valid as it is. */
export const applicationBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  team_name: 'CERT Applicant',
  kind: 'national-csirt',
  country: 'PY',
  sector: 'government',
  mandate: 'Decree 1/2020',
  website: 'https://www.cert.example',
  constituency: { cidrs: ['198.51.100.0/24'] },
  contacts: [dutyContact()],
  applicant_name: 'Ana',
  applicant_email: 'ana@cert.example',
  preferred_language: 'es',
  ...overrides,
});
