import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OrganisationRefDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;
}

export class SuppressionDto {
  @ApiProperty({ description: 'On a warninglist' })
  warninglist: boolean;

  @ApiProperty({ description: 'Past the false-positive threshold: raises no warning' })
  false_positive: boolean;
}

/** An indicator (one value in one audience) with the figures every one of its viewers may see. */
export class IndicatorSummaryDto {
  @ApiProperty({ example: 'indicator--0b7c2f9e-1c1e-5a2b-9d3e-4f5a6b7c8d9e' })
  id: string;

  @ApiProperty({ enum: ['indicator', 'vulnerability'] })
  object_type: string;

  @ApiProperty({ example: 'domain' })
  type: string;

  @ApiProperty({ example: 'evil.example' })
  value: string;

  @ApiProperty({ example: 'green' })
  tlp: string;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'docs/indicators.md' })
  score: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Average of the reporters’ latest confidence' })
  confidence: number | null;

  @ApiProperty()
  org_count: number;

  @ApiProperty({ type: [OrganisationRefDto], description: 'Organisations that reported it' })
  reported_by: OrganisationRefDto[];

  @ApiProperty()
  sighting_org_count: number;

  @ApiProperty()
  sighting_count: number;

  @ApiProperty()
  confirmed_org_count: number;

  @ApiProperty()
  false_positive_org_count: number;

  @ApiProperty({ nullable: true, type: String })
  first_seen: string | null;

  @ApiProperty({ nullable: true, type: String })
  last_seen: string | null;

  @ApiProperty({ nullable: true, type: String })
  valid_until: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: SuppressionDto })
  suppressed: SuppressionDto;

  @ApiProperty({ type: [String] })
  classifications: string[];

  @ApiProperty({ type: [String] })
  rsit_types: string[];

  @ApiProperty({ type: [String] })
  countries: string[];

  @ApiProperty({ type: [String] })
  sectors: string[];
}

export class IndicatorPageDto {
  @ApiProperty({ type: [IndicatorSummaryDto] })
  items: IndicatorSummaryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
  next_cursor: string | null;
}

export class IndicatorVersionDto {
  @ApiProperty()
  modified: string;

  @ApiProperty({ nullable: true, type: String })
  report_id: string | null;

  @ApiProperty({ type: Object })
  object: Record<string, unknown>;
}

export class SightingDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: ['report', 'member'], description: 'A report of the value, or a member’s sighting' })
  source: 'report' | 'member';

  @ApiProperty({ type: OrganisationRefDto, nullable: true })
  organisation: OrganisationRefDto | null;

  @ApiProperty()
  tlp: string;

  @ApiProperty()
  count: number;

  @ApiProperty({ nullable: true, type: String })
  first_seen: string | null;

  @ApiProperty({ nullable: true, type: String })
  last_seen: string | null;

  @ApiPropertyOptional({ enum: ['constituency', 'elsewhere'] })
  where?: 'constituency' | 'elsewhere';

  @ApiProperty({ nullable: true, type: String })
  comment: string | null;
}

export class FeedbackDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ type: OrganisationRefDto, nullable: true })
  organisation: OrganisationRefDto | null;

  @ApiProperty()
  tlp: string;

  @ApiProperty({ enum: ['false-positive', 'confirmed'] })
  verdict: 'false-positive' | 'confirmed';

  @ApiProperty({ nullable: true, type: String })
  comment: string | null;

  @ApiProperty()
  created: string;
}

export class IndicatorReportDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  classification: string;

  @ApiProperty({ nullable: true, type: String })
  type: string | null;

  @ApiProperty()
  tlp: string;

  @ApiProperty({ type: OrganisationRefDto })
  organisation: OrganisationRefDto;

  @ApiProperty()
  received_at: string;
}

export class VisibleFiguresDto {
  @ApiProperty({ description: 'Organisations that reported the value in any report the viewer may see' })
  org_count: number;

  @ApiProperty({ nullable: true, type: String })
  first_seen: string | null;

  @ApiProperty({ nullable: true, type: String })
  last_seen: string | null;
}

export class IndicatorDetailDto extends IndicatorSummaryDto {
  @ApiProperty({ type: VisibleFiguresDto, description: 'The value across every audience the viewer may see' })
  network: VisibleFiguresDto;

  @ApiProperty({ type: [Object], description: 'Its STIX cyber-observable(s)' })
  observables: Record<string, unknown>[];

  @ApiProperty({ type: [IndicatorVersionDto], description: 'Newest first' })
  versions: IndicatorVersionDto[];

  @ApiProperty({ type: [SightingDto] })
  sightings: SightingDto[];

  @ApiProperty({ type: [FeedbackDto] })
  feedback: FeedbackDto[];

  @ApiProperty({ type: [IndicatorReportDto] })
  reports: IndicatorReportDto[];

  @ApiProperty({ type: Object, description: 'STIX 2.1 bundle: the indicator, its observables, sightings and opinions' })
  stix: Record<string, unknown>;
}

export class FeedbackRecordedDto {
  @ApiProperty({ description: 'The STIX sighting or opinion stored' })
  id: string;

  @ApiProperty({ type: IndicatorSummaryDto, description: 'The indicator with its score now' })
  indicator: IndicatorSummaryDto;

  @ApiProperty({ description: 'This feedback took it past the false-positive threshold: it raises no more warnings' })
  suppressed_now: boolean;
}

export class LookupIndicatorDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  type: string;

  @ApiProperty()
  value: string;

  @ApiProperty()
  tlp: string;

  @ApiProperty()
  score: number;

  @ApiProperty()
  org_count: number;

  @ApiProperty({ nullable: true, type: String })
  last_seen: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty()
  suppressed: boolean;

  @ApiProperty({ type: [String] })
  classifications: string[];
}

export class KnownValueDto {
  @ApiProperty({ description: 'The network knows it: at least one indicator the viewer may see' })
  known: boolean;

  @ApiProperty({ nullable: true, type: Number, description: 'Highest score among its active indicators' })
  score: number | null;

  @ApiProperty({ description: 'Distinct organisations reporting it, over what the viewer may see' })
  org_count: number;

  @ApiProperty({ nullable: true, type: String })
  last_seen: string | null;

  @ApiProperty({ type: [String] })
  classifications: string[];

  @ApiProperty({ type: [LookupIndicatorDto] })
  indicators: LookupIndicatorDto[];
}

export class ConstituencyOwnerDto {
  @ApiProperty()
  organisation_id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'The network, domain suffix or AS number that matched' })
  matched: string;
}

export class IndicatorLookupResultDto extends KnownValueDto {
  @ApiProperty()
  input: string;

  @ApiProperty({ nullable: true, type: String })
  type: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'null when the value is no indicator (see `error`)' })
  canonical: string | null;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ type: KnownValueDto, description: 'URLs and e-mail addresses: what is known of their host' })
  host?: KnownValueDto & { value: string };

  @ApiProperty({ type: [ConstituencyOwnerDto], description: 'Who owns it in the directory' })
  constituency: ConstituencyOwnerDto[];
}

export class IndicatorLookupAnswerDto {
  @ApiProperty({ type: [IndicatorLookupResultDto], description: 'In the order of the values given' })
  results: IndicatorLookupResultDto[];

  @ApiProperty({ description: 'Values known to the network' })
  known: number;

  @ApiProperty({ description: 'Values that are no indicator' })
  invalid: number;
}
