import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApplicationEventKind, ApplicationStatus, OrganisationKind } from '@vigia/database';
import { MAIL_LOCALES } from '@vigia/mail';
import { ContactDetailsDto } from '../../directory/dto/directory-answers.dto';
import { ConstituencyAnswerDto } from '../../subscriptions/dto/subscription-answers.dto';

export class ApplicationFormDto {
  @ApiProperty({ description: 'Send it back with the application, once' })
  form_token: string;

  @ApiProperty({ description: 'The application is refused if sent sooner than this after the token was issued' })
  min_fill_seconds: number;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;
}

export class ApplicationAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ApplicationStatus, example: ApplicationStatus.Submitted })
  status: ApplicationStatus;

  @ApiProperty({ example: 'A confirmation link was mailed to the applicant; review starts once it is followed' })
  message: string;
}

export class ReviewClockDto {
  @ApiProperty({ format: 'date-time', description: 'When the applicant verified their address' })
  started_at: string;

  @ApiProperty({ description: 'APPLICATION_REVIEW_TARGET_DAYS' })
  target_working_days: number;

  @ApiProperty({
    description:
      'Working days (Mon–Fri, UTC) since the start (until the decision), waiting for the applicant not counted',
  })
  elapsed_working_days: number;

  @ApiProperty({ description: 'Working days spent waiting for the applicant’s answers' })
  waiting_working_days: number;

  @ApiProperty({ format: 'date-time', description: 'The target after the start, pushed back by the waiting' })
  due_at: string;

  @ApiProperty({ description: 'Waiting for the applicant’s answer now: the clock does not run' })
  paused: boolean;

  @ApiProperty({ description: 'Still open and running past its due date' })
  overdue: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  stopped_at: string | null;
}

export class EndorsementCountDto {
  @ApiProperty()
  count: number;

  @ApiProperty({ description: 'APPLICATION_ENDORSEMENTS_REQUIRED: needed before approval' })
  required: number;
}

export class ApplicationSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ApplicationStatus })
  status: ApplicationStatus;

  @ApiProperty()
  team_name: string;

  @ApiProperty({ enum: OrganisationKind })
  kind: OrganisationKind;

  @ApiProperty({ example: 'UY' })
  country: string;

  @ApiProperty()
  sector: string;

  @ApiProperty()
  website: string;

  @ApiProperty()
  mandate: string;

  @ApiProperty({ type: ConstituencyAnswerDto })
  constituency: ConstituencyAnswerDto;

  @ApiProperty({ type: EndorsementCountDto })
  endorsements: EndorsementCountDto;

  @ApiProperty({ type: ReviewClockDto, nullable: true, description: 'Null until the applicant verified' })
  clock: ReviewClockDto | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The organisation approval created' })
  organisation_id: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

export class ApplicationListDto {
  @ApiProperty({ type: [ApplicationSummaryDto] })
  items: ApplicationSummaryDto[];

  @ApiProperty()
  total: number;
}

export class ApplicationEndorsementDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for an external endorsement' })
  organisation_id: string | null;

  @ApiProperty({ nullable: true, type: String })
  organisation_name: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  endorser_user_id: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Who endorsed from outside the network' })
  external_endorser: string | null;

  @ApiProperty()
  comment: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class ApplicationEventDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurred_at: string;

  @ApiProperty({ enum: ApplicationEventKind })
  kind: ApplicationEventKind;

  @ApiProperty({ enum: ApplicationStatus, nullable: true })
  from_status: ApplicationStatus | null;

  @ApiProperty({ enum: ApplicationStatus, nullable: true })
  to_status: ApplicationStatus | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actor_user_id: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actor_organisation_id: string | null;

  @ApiProperty({ description: 'Done by the applicant through their link' })
  by_applicant: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'Reason, comment, question or answer' })
  text: string | null;
}

/** What coordinators see; org-admins of members get the summary of applications in review only. */
export class ApplicationDto extends ApplicationSummaryDto {
  @ApiPropertyOptional({ description: 'Coordinators only' })
  applicant_name?: string;

  @ApiPropertyOptional({ description: 'Coordinators only' })
  applicant_email?: string;

  @ApiPropertyOptional({ enum: MAIL_LOCALES, description: 'Coordinators only' })
  preferred_language?: string;

  @ApiPropertyOptional({ type: [ContactDetailsDto], description: 'Coordinators only' })
  contacts?: ContactDetailsDto[];

  @ApiPropertyOptional({ type: [ApplicationEndorsementDto], description: 'Coordinators only' })
  endorsement_list?: ApplicationEndorsementDto[];

  @ApiPropertyOptional({ type: [ApplicationEventDto], description: 'Coordinators only: the history, oldest first' })
  events?: ApplicationEventDto[];
}

/** What the applicant's link shows. */
export class ApplicantViewDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  team_name: string;

  @ApiProperty({ enum: ApplicationStatus })
  status: ApplicationStatus;

  @ApiProperty({ nullable: true, type: String, description: 'The coordinator’s open question, if any' })
  question: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}
