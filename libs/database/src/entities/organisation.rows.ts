/** An organisation as its STIX identity needs it. */
export interface OrganisationSummary {
  id: string;
  name: string;
  countryCode: string | null;
  sector: string | null;
  updatedAt: Date;
}
