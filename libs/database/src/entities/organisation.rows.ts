/** An organisation as its STIX identity needs it. */
export interface OrganisationSummary {
  id: string;
  name: string;
  countryCode: string | null;
  sector: string | null;
  updatedAt: Date;
}

/** How many member organisations (the coordinator's own left out) have one status in one country. */
export interface MemberCountRow {
  status: string;
  /** ISO 3166-1 alpha-2; null when none was recorded. */
  countryCode: string | null;
  count: number;
}
