import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { generateInvitationToken, hashInvitationToken } from '@vigia/auth';
import { ProblemDetail, validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  ApplicationContact,
  ApplicationEventKind,
  ApplicationRepository,
  ApplicationRow,
  ApplicationStatus,
  QueuedMail,
} from '@vigia/database';
import { Mailer } from '@vigia/mail';
import { PgpKeyError, readKeyField } from '@vigia/pgp';
import { APPLICATION_RECEIVED_MAIL, APPLICATION_VERIFICATION_MAIL } from './application-mails';
import { ApplicationFormTokens, FORM_TOKEN_MAX_AGE_MS } from './application-form';
import {
  OPEN,
  VERIFICATION_TTL_MS,
  applicantLinkPath,
  applicationAuditEvent,
  conflict,
  invalidLink,
  newApplicantToken,
  resumedClock,
  verificationLinkPath,
} from './application-rules';
import { constituencyOf, toApplicantViewDto, toApplicationContact } from './application.mapper';
import { ApplicantViewDto, ApplicationAcceptedDto, ApplicationFormDto } from './dto/application-answers.dto';
import {
  AnswerApplicationDto,
  ApplicationTokenDto,
  SubmitApplicationDto,
  WithdrawApplicationDto,
} from './dto/application-input.dto';

/**
 * The applicant's side of admission, without an account: apply (spam-resistant), confirm the address by the mailed
 * link, answer the coordinator's questions and withdraw through the applicant's link. Each step is one transaction
 * with its history entry, audit event (under the coordinating organisation) and mails.
 */
@Injectable()
export class ApplicantService {
  private readonly logger = new Logger(ApplicantService.name);
  private readonly formTokens: ApplicationFormTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applications: ApplicationRepository,
    private readonly mailer: Mailer,
    private readonly audit: AuditLog,
  ) {
    this.formTokens = new ApplicationFormTokens(config.auth.jwtSecret);
  }

  form(): ApplicationFormDto {
    const issued = this.formTokens.issue();
    return {
      form_token: issued.token,
      min_fill_seconds: this.config.applications.minFillSeconds,
      expires_at: new Date(issued.issuedAt.getTime() + FORM_TOKEN_MAX_AGE_MS).toISOString(),
    };
  }

  /** Stores the application and mails the verification link; nothing is reviewed before it is followed. */
  async submit(origin: RequestOrigin, dto: SubmitApplicationDto): Promise<ApplicationAcceptedDto> {
    const accepted = (id: string): ApplicationAcceptedDto => ({
      id,
      status: ApplicationStatus.Submitted,
      message: 'A confirmation link was mailed to the applicant; review starts once it is followed',
    });
    if (dto.homepage !== undefined && dto.homepage !== null && dto.homepage !== '') {
      // A robot filled the hidden field: it is told what a person would be, and nothing is stored or sent.
      this.logger.warn({ address: origin.address }, 'application discarded: the hidden field was filled');
      return accepted(randomUUID());
    }
    const form = this.formTokens.read(dto.form_token, this.config.applications.minFillSeconds * 1000);
    if (!form.ok) throw validationException([{ path: 'form_token', reason: form.reason }]);
    const contacts = await this.contactsOf(dto);

    const verification = generateInvitationToken();
    const expiresAt = new Date(Date.now() + VERIFICATION_TTL_MS);
    const mail = this.mailer.compose(
      APPLICATION_VERIFICATION_MAIL,
      {
        teamName: dto.team_name,
        link: this.mailer.link(verificationLinkPath(verification.token, dto.preferred_language)),
        expiresAt,
      },
      { to: dto.applicant_email, locale: dto.preferred_language, category: 'application-verification' },
    );
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const id = await this.applications.create(
      {
        teamName: dto.team_name,
        kind: dto.kind,
        countryCode: dto.country,
        sector: dto.sector,
        mandate: dto.mandate,
        website: dto.website,
        constituency: constituencyOf(dto),
        contacts,
        applicantName: dto.applicant_name,
        applicantEmail: dto.applicant_email,
        locale: dto.preferred_language,
        formNonce: form.nonce,
        verificationTokenHash: verification.hash,
        verificationExpiresAt: expiresAt,
      },
      [mail],
      (created) =>
        this.audit.event(
          {
            action: AuditAction.ApplicationSubmitted,
            organisationId: coordinatorOrganisationId ?? created,
            targetType: AuditTargetType.Application,
            targetId: created,
            details: { team_name: dto.team_name, kind: dto.kind, country: dto.country },
          },
          undefined,
          origin,
        ),
    );
    if (!id) throw conflict('This form was already sent: open the form again (GET /api/v1/applications/form)');
    await this.mailer.dispatch([mail]);
    this.logger.log({ applicationId: id }, 'application submitted');
    return accepted(id);
  }

  /** Each proposed contact with its key parsed; every refused key is reported at once. */
  private async contactsOf(dto: SubmitApplicationDto): Promise<ApplicationContact[]> {
    const problems: ProblemDetail[] = [];
    const contacts = await Promise.all(
      dto.contacts.map(async (contact, index) => {
        // A new application has no stored key to keep: left out is none.
        const key = (await readKeyField(contact.pgp_key)) ?? null;
        if (!(key instanceof PgpKeyError)) return toApplicationContact(contact, key);
        problems.push({ path: `contacts[${index}].pgp_key`, reason: key.reason });
        return toApplicationContact(contact, null);
      }),
    );
    if (problems.length > 0) throw validationException(problems);
    return contacts;
  }

  /** Follows the verification link: review may start, and the applicant gets the link to their application. */
  async verify(origin: RequestOrigin, dto: ApplicationTokenDto): Promise<ApplicantViewDto> {
    const applicant = newApplicantToken();
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const mails: QueuedMail[] = [];
    const verified = await this.applications.verify(hashInvitationToken(dto.token), applicant.write, (row) => {
      mails.push(
        this.mailer.compose(
          APPLICATION_RECEIVED_MAIL,
          {
            teamName: row.teamName,
            link: this.mailer.link(applicantLinkPath(applicant.token, row.locale)),
            targetWorkingDays: this.config.applications.reviewTargetWorkingDays,
          },
          { to: row.applicantEmail, locale: row.locale, category: 'application-received' },
        ),
      );
      return {
        audit: [
          applicationAuditEvent(this.audit, row, coordinatorOrganisationId, AuditAction.ApplicationVerified, origin),
        ],
        mails,
      };
    });
    if (!verified) throw invalidLink();
    await this.mailer.dispatch(mails);
    this.logger.log({ applicationId: verified.id }, 'application verified');
    return toApplicantViewDto(verified, null);
  }

  /** What the applicant's link shows: the status and the coordinator's open question. */
  async applicantView(dto: ApplicationTokenDto): Promise<ApplicantViewDto> {
    const row = await this.applications.findByApplicantToken(hashInvitationToken(dto.token));
    if (!row) throw invalidLink();
    return toApplicantViewDto(row, await this.openQuestion(row));
  }

  private async openQuestion(row: ApplicationRow): Promise<string | null> {
    if (row.status !== ApplicationStatus.InformationRequested) return null;
    const events = await this.applications.events(row.id);
    const asked = events.filter((event) => event.toStatus === ApplicationStatus.InformationRequested).at(-1);
    return asked?.text ?? null;
  }

  /** The applicant's answer to an information request: back under review. */
  async answer(origin: RequestOrigin, dto: AnswerApplicationDto): Promise<ApplicantViewDto> {
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const changed = await this.applications.change(
      { applicantTokenHash: hashInvitationToken(dto.token) },
      (current) => {
        if (current.status !== ApplicationStatus.InformationRequested) {
          throw conflict(`The application is not waiting for an answer: it is ${current.status}`);
        }
        return {
          status: ApplicationStatus.UnderReview,
          clock: resumedClock(current),
          events: [
            { kind: ApplicationEventKind.Answered, byApplicant: true, text: dto.answer },
            {
              kind: ApplicationEventKind.StatusChanged,
              fromStatus: current.status,
              toStatus: ApplicationStatus.UnderReview,
              byApplicant: true,
            },
          ],
          audit: [
            applicationAuditEvent(
              this.audit,
              current,
              coordinatorOrganisationId,
              AuditAction.ApplicationAnswered,
              origin,
            ),
          ],
          mails: [],
        };
      },
    );
    if (!changed) throw invalidLink();
    this.logger.log({ applicationId: changed.id }, 'application answered');
    return toApplicantViewDto(changed, null);
  }

  /** The applicant withdraws their open application; their link stops working. */
  async withdraw(origin: RequestOrigin, dto: WithdrawApplicationDto): Promise<ApplicantViewDto> {
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const changed = await this.applications.change(
      { applicantTokenHash: hashInvitationToken(dto.token) },
      (current) => {
        if (!OPEN.includes(current.status)) {
          throw conflict(`The application cannot be withdrawn: it is ${current.status}`);
        }
        return {
          status: ApplicationStatus.Withdrawn,
          decided: true,
          applicantToken: null,
          clock: resumedClock(current),
          events: [
            {
              kind: ApplicationEventKind.StatusChanged,
              fromStatus: current.status,
              toStatus: ApplicationStatus.Withdrawn,
              byApplicant: true,
              text: dto.reason || null,
            },
          ],
          audit: [
            applicationAuditEvent(
              this.audit,
              current,
              coordinatorOrganisationId,
              AuditAction.ApplicationStatusChanged,
              origin,
              {
                from: current.status,
                to: ApplicationStatus.Withdrawn,
                by_applicant: true,
              },
            ),
          ],
          mails: [],
        };
      },
    );
    if (!changed) throw invalidLink();
    this.logger.log({ applicationId: changed.id }, 'application withdrawn');
    return toApplicantViewDto(changed, null);
  }
}
