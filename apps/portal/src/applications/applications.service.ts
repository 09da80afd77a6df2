import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, generateInvitationToken, hashInvitationToken, isCoordinator } from '@vigia/auth';
import { ErrorCode, ProblemDetail, VigiaException, validationException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  ApplicantTokenWrite,
  ApplicationChange,
  ApplicationContact,
  ApprovalWrite,
  ApplicationEventKind,
  ApplicationRepository,
  ApplicationRow,
  ApplicationStatus,
  NewAuditEvent,
  OrganisationKind,
  QueuedMail,
} from '@vigia/database';
import { Mailer } from '@vigia/mail';
import { PgpKeyError, readPublicKey } from '@vigia/pgp';
import { INVITATION_TTL_MS, invitationLinkPath } from '../users/users.service';
import {
  APPLICATION_APPROVED_MAIL,
  APPLICATION_INFORMATION_REQUESTED_MAIL,
  APPLICATION_RECEIVED_MAIL,
  APPLICATION_REJECTED_MAIL,
  APPLICATION_VERIFICATION_MAIL,
} from './application-mails';
import { ApplicationFormTokens, FORM_TOKEN_MAX_AGE_MS } from './application-form';
import { workingDaysBetween } from './review-clock';
import {
  ReviewSettings,
  constituencyOf,
  shortNameOf,
  toApplicantViewDto,
  toApplicationContact,
  toApplicationDto,
  toApplicationSummaryDto,
  toDirectoryEntry,
  toNewOrganisation,
} from './application.mapper';
import {
  ApplicantViewDto,
  ApplicationAcceptedDto,
  ApplicationDto,
  ApplicationFormDto,
  ApplicationListDto,
  ApplicationSummaryDto,
} from './dto/application-answers.dto';
import {
  AnswerApplicationDto,
  ApplicationCommentDto,
  ApplicationListQueryDto,
  ApplicationTokenDto,
  ApplicationTransitionDto,
  EndorsementDto,
  ExternalEndorsementDto,
  SubmitApplicationDto,
  WithdrawApplicationDto,
} from './dto/application-input.dto';

/** How long the e-mail verification link works. */
export const VERIFICATION_TTL_MS = 48 * 60 * 60 * 1000;
/** How long the applicant's link works; each information request sends a new one. */
export const APPLICANT_LINK_TTL_MS = 90 * 24 * 60 * 60 * 1000;

export const verificationLinkPath = (token: string): string => `/applications/verify?token=${token}`;
export const applicantLinkPath = (token: string): string => `/applications/applicant?token=${token}`;

/** Open applications, which the applicant may withdraw. */
const OPEN: readonly ApplicationStatus[] = [
  ApplicationStatus.Submitted,
  ApplicationStatus.UnderReview,
  ApplicationStatus.InformationRequested,
];

/** In review: members see these and may endorse them. */
const IN_REVIEW: ApplicationStatus[] = [ApplicationStatus.UnderReview, ApplicationStatus.InformationRequested];

/** Where the coordinator may move an application from each status. */
const COORDINATOR_MOVES: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  [ApplicationStatus.Submitted]: [ApplicationStatus.UnderReview, ApplicationStatus.Rejected],
  [ApplicationStatus.UnderReview]: [
    ApplicationStatus.InformationRequested,
    ApplicationStatus.Approved,
    ApplicationStatus.Rejected,
  ],
  [ApplicationStatus.InformationRequested]: [
    ApplicationStatus.UnderReview,
    ApplicationStatus.Approved,
    ApplicationStatus.Rejected,
  ],
  [ApplicationStatus.Approved]: [],
  [ApplicationStatus.Rejected]: [],
  [ApplicationStatus.Withdrawn]: [],
};

const applicationNotFound = (id: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No application ${id}`);

const invalidLink = (): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, 'The link is unknown, already used or expired', [
    { path: 'token', reason: 'unknown, already used or expired link' },
  ]);

const conflict = (message: string): VigiaException => new VigiaException(ErrorCode.Conflict, message);

/** Leaving `information_requested`: the clock runs again, not counting the working days it waited. */
const resumedClock = (current: ApplicationRow): ApplicationChange['clock'] =>
  current.clockPausedAt ? { resumeAfterDays: workingDaysBetween(current.clockPausedAt, new Date()) } : undefined;

const newApplicantToken = (): { token: string; write: ApplicantTokenWrite } => {
  const { token, hash } = generateInvitationToken();
  return { token, write: { hash, expiresAt: new Date(Date.now() + APPLICANT_LINK_TTL_MS) } };
};

/**
 * Admission of new CSIRTs: a team applies without an account, confirms its address, the coordinator reviews (asks,
 * hears the answer), members sponsor, and approval creates the organisation, its directory entry and the invitation
 * of its first org-admin. Every step is one transaction with its history entry, audit events and mails.
 */
@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);
  private readonly formTokens: ApplicationFormTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applications: ApplicationRepository,
    private readonly mailer: Mailer,
    private readonly audit: AuditLog,
  ) {
    this.formTokens = new ApplicationFormTokens(config.auth.jwtSecret);
  }

  private get settings(): ReviewSettings {
    const { reviewTargetWorkingDays, endorsementsRequired } = this.config.applications;
    return { targetWorkingDays: reviewTargetWorkingDays, endorsementsRequired };
  }

  // Audit: events about an application are recorded under the coordinating organisation (there is no other yet),
  // endorsements under the endorsing member's; approval also under the organisation it creates.

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
      { teamName: dto.team_name, link: this.mailer.link(verificationLinkPath(verification.token)), expiresAt },
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
        if (!contact.pgp_key) return toApplicationContact(contact, null);
        try {
          return toApplicationContact(contact, await readPublicKey(contact.pgp_key));
        } catch (error) {
          if (!(error instanceof PgpKeyError)) throw error;
          problems.push({ path: `contacts[${index}].pgp_key`, reason: error.reason });
          return toApplicationContact(contact, null);
        }
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
            link: this.mailer.link(applicantLinkPath(applicant.token)),
            targetWorkingDays: this.settings.targetWorkingDays,
          },
          { to: row.applicantEmail, locale: row.locale, category: 'application-received' },
        ),
      );
      return {
        audit: [this.applicationEvent(row, coordinatorOrganisationId, AuditAction.ApplicationVerified, origin)],
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
          audit: [this.applicationEvent(current, coordinatorOrganisationId, AuditAction.ApplicationAnswered, origin)],
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
            this.applicationEvent(current, coordinatorOrganisationId, AuditAction.ApplicationStatusChanged, origin, {
              from: current.status,
              to: ApplicationStatus.Withdrawn,
              by_applicant: true,
            }),
          ],
          mails: [],
        };
      },
    );
    if (!changed) throw invalidLink();
    this.logger.log({ applicationId: changed.id }, 'application withdrawn');
    return toApplicantViewDto(changed, null);
  }

  /** Coordinators: every application; org-admins of members: those in review. */
  async list(principal: OrganisationPrincipal, query: ApplicationListQueryDto): Promise<ApplicationListDto> {
    const { items, total } = await this.applications.list({
      status: query.status,
      statuses: isCoordinator(principal) ? undefined : IN_REVIEW,
      countryCode: query.country,
      verified: query.verified,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
    const settings = { ...this.settings, now: new Date() };
    return { items: items.map((row) => toApplicationSummaryDto(row, settings)), total };
  }

  /** Coordinators: the application with its history and endorsements; members: the summary of one in review. */
  async get(principal: OrganisationPrincipal, id: string): Promise<ApplicationDto | ApplicationSummaryDto> {
    const row = await this.applications.findById(id);
    if (!row) throw applicationNotFound(id);
    if (!isCoordinator(principal)) {
      if (!IN_REVIEW.includes(row.status)) throw applicationNotFound(id);
      return toApplicationSummaryDto(row, this.settings);
    }
    const [events, endorsements] = await Promise.all([
      this.applications.events(id),
      this.applications.endorsements(id),
    ]);
    return toApplicationDto(row, events, endorsements, this.settings);
  }

  /** The coordinator moves the application on: review, a question, approval or rejection (the last two mailed). */
  async transition(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    dto: ApplicationTransitionDto,
  ): Promise<ApplicationDto> {
    const found = await this.applications.findById(id);
    if (!found) throw applicationNotFound(id);
    const target = dto.status;
    // Checked first on the row as read (for the clearest answer), and again on the locked row below.
    this.assertMove(found, target, found.endorsementCount);
    const shortName = dto.short_name ?? shortNameOf(found.teamName, found.countryCode);
    if (target === ApplicationStatus.Approved) await this.assertApprovable(found, shortName);
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const applicant = newApplicantToken();
    const mails: QueuedMail[] = [];

    const changed = await this.applications.change({ id }, (current, endorsements) => {
      this.assertMove(current, target, endorsements.length);
      const statusEvent = this.applicationEvent(
        current,
        coordinatorOrganisationId,
        target === ApplicationStatus.Approved ? AuditAction.ApplicationApproved : AuditAction.ApplicationStatusChanged,
        origin,
        { from: current.status, to: target },
        principal,
      );
      const change: ApplicationChange = {
        status: target,
        clock: target === ApplicationStatus.InformationRequested ? { pause: true } : resumedClock(current),
        events: [
          {
            kind: ApplicationEventKind.StatusChanged,
            fromStatus: current.status,
            toStatus: target,
            actorUserId: principal.userId ?? null,
            actorOrganisationId: principal.organisationId,
            text: dto.reason ?? null,
          },
        ],
        audit: [statusEvent],
        mails,
      };
      const recipient = { to: current.applicantEmail, locale: current.locale };
      if (target === ApplicationStatus.InformationRequested) {
        change.applicantToken = applicant.write;
        mails.push(
          this.mailer.compose(
            APPLICATION_INFORMATION_REQUESTED_MAIL,
            {
              teamName: current.teamName,
              question: dto.reason!,
              link: this.mailer.link(applicantLinkPath(applicant.token)),
            },
            { ...recipient, category: 'application-information-requested' },
          ),
        );
      } else if (target === ApplicationStatus.Rejected) {
        Object.assign(change, { decided: true, applicantToken: null });
        // An address nobody confirmed gets no mail: the form must not become a way to mail strangers.
        if (current.verifiedAt !== null) {
          mails.push(
            this.mailer.compose(
              APPLICATION_REJECTED_MAIL,
              { teamName: current.teamName, reason: dto.reason! },
              { ...recipient, category: 'application-rejected' },
            ),
          );
        }
      } else if (target === ApplicationStatus.Approved) {
        Object.assign(change, { decided: true, applicantToken: null });
        change.approval = this.approvalOf(current, shortName, mails, principal, origin);
      }
      return change;
    });
    if (!changed) throw applicationNotFound(id);
    await this.mailer.dispatch(mails);
    this.logger.log({ applicationId: id, status: target, by: principal.userId }, 'application moved');
    return this.coordinatorView(changed);
  }

  /**
   * What approval writes besides the application: the organisation, its directory entry, and the applicant invited as
   * its first org-admin by a one-time link, mailed (into `mails`, for the dispatch after the commit too).
   */
  private approvalOf(
    application: ApplicationRow,
    shortName: string,
    mails: QueuedMail[],
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
  ): ApprovalWrite {
    const invitation = generateInvitationToken();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    return {
      organisation: toNewOrganisation(application, shortName),
      directory: toDirectoryEntry(application),
      admin: { email: application.applicantEmail, displayName: application.applicantName },
      invitation: { tokenHash: invitation.hash, expiresAt, createdBy: principal.userId ?? null },
      effects: (created) => {
        const welcome = this.mailer.compose(
          APPLICATION_APPROVED_MAIL,
          {
            teamName: application.teamName,
            link: this.mailer.link(invitationLinkPath(invitation.token)),
            expiresAt,
          },
          {
            to: application.applicantEmail,
            locale: application.locale,
            category: 'application-approved',
            organisationId: created.organisationId,
          },
        );
        mails.push(welcome);
        return { audit: this.approvalEvents(application, created, expiresAt, principal, origin), mails: [welcome] };
      },
    };
  }

  private async assertApprovable(application: ApplicationRow, shortName: string): Promise<void> {
    const taken = await this.applications.takenForApproval(shortName, application.applicantEmail);
    if (taken.shortName) {
      throw conflict(`An organisation with short name ${shortName} exists: give another short_name`);
    }
    if (taken.email) {
      throw conflict(`An account with the applicant's e-mail ${application.applicantEmail} exists`);
    }
  }

  /** Refuses a move the state machine does not allow, or that lacks what it needs, naming why (409). */
  private assertMove(current: ApplicationRow, target: ApplicationStatus, endorsements: number): void {
    const allowed = COORDINATOR_MOVES[current.status];
    if (!allowed.includes(target)) {
      const options = allowed.length > 0 ? `it may become ${allowed.join(' or ')}` : 'it is decided';
      throw conflict(`An application that is ${current.status} cannot become ${target}: ${options}`);
    }
    if (target === ApplicationStatus.UnderReview && current.verifiedAt === null) {
      throw conflict('Review starts once the applicant has confirmed their e-mail address, which they have not');
    }
    const required = this.config.applications.endorsementsRequired;
    if (target === ApplicationStatus.Approved && endorsements < required) {
      throw conflict(
        `Approval needs ${required} endorsements; ${endorsements} recorded: ${required - endorsements} more needed`,
      );
    }
  }

  /** A coordinator's internal comment (never sent to the applicant). */
  async comment(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    dto: ApplicationCommentDto,
  ): Promise<ApplicationDto> {
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const changed = await this.applications.change({ id }, (current) => ({
      events: [
        {
          kind: ApplicationEventKind.Comment,
          actorUserId: principal.userId ?? null,
          actorOrganisationId: principal.organisationId,
          text: dto.comment,
        },
      ],
      audit: [
        this.applicationEvent(
          current,
          coordinatorOrganisationId,
          AuditAction.ApplicationCommented,
          origin,
          {},
          principal,
        ),
      ],
      mails: [],
    }));
    if (!changed) throw applicationNotFound(id);
    return this.coordinatorView(changed);
  }

  /** A member organisation sponsors an application in review, once. */
  async endorse(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    dto: EndorsementDto,
  ): Promise<ApplicationSummaryDto> {
    if (principal.organisationKind === OrganisationKind.Coordinator) {
      throw new VigiaException(
        ErrorCode.Forbidden,
        'The coordinating organisation does not sponsor: record an external endorsement instead',
      );
    }
    const changed = await this.applications.change({ id }, (current, endorsements) => {
      if (!IN_REVIEW.includes(current.status)) {
        if (current.status === ApplicationStatus.Submitted) throw applicationNotFound(id);
        throw conflict(`Only applications in review can be endorsed: this one is ${current.status}`);
      }
      if (endorsements.some((endorsement) => endorsement.organisationId === principal.organisationId)) {
        throw conflict('Your organisation has already endorsed this application');
      }
      return {
        endorsement: {
          organisationId: principal.organisationId,
          endorserUserId: principal.userId ?? null,
          externalEndorser: null,
          comment: dto.comment,
        },
        events: [
          {
            kind: ApplicationEventKind.Endorsed,
            actorUserId: principal.userId ?? null,
            actorOrganisationId: principal.organisationId,
            text: dto.comment,
          },
        ],
        audit: [
          this.audit.event(
            {
              action: AuditAction.ApplicationEndorsed,
              targetType: AuditTargetType.Application,
              targetId: current.id,
              details: { team_name: current.teamName },
            },
            principal,
            origin,
          ),
        ],
        mails: [],
      };
    });
    if (!changed) throw applicationNotFound(id);
    this.logger.log({ applicationId: id, organisationId: principal.organisationId }, 'application endorsed');
    return toApplicationSummaryDto(changed, this.settings);
  }

  /** The coordinator records an endorsement from outside the network (e.g. the country's national contact point). */
  async endorseExternally(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    dto: ExternalEndorsementDto,
  ): Promise<ApplicationDto> {
    const coordinatorOrganisationId = await this.applications.coordinatorOrganisationId();
    const changed = await this.applications.change({ id }, (current) => {
      if (!OPEN.includes(current.status) || current.verifiedAt === null) {
        throw conflict(`Only open, confirmed applications can be endorsed: this one is ${current.status}`);
      }
      return {
        endorsement: {
          organisationId: null,
          endorserUserId: principal.userId ?? null,
          externalEndorser: dto.endorser,
          comment: dto.comment,
        },
        events: [
          {
            kind: ApplicationEventKind.Endorsed,
            actorUserId: principal.userId ?? null,
            actorOrganisationId: principal.organisationId,
            text: `${dto.endorser}: ${dto.comment}`,
          },
        ],
        audit: [
          this.applicationEvent(
            current,
            coordinatorOrganisationId,
            AuditAction.ApplicationEndorsed,
            origin,
            { external: true },
            principal,
          ),
        ],
        mails: [],
      };
    });
    if (!changed) throw applicationNotFound(id);
    return this.coordinatorView(changed);
  }

  private async coordinatorView(row: ApplicationRow): Promise<ApplicationDto> {
    const [events, endorsements] = await Promise.all([
      this.applications.events(row.id),
      this.applications.endorsements(row.id),
    ]);
    return toApplicationDto(row, events, endorsements, this.settings);
  }

  /** An audit event about the application, under the coordinating organisation. */
  private applicationEvent(
    application: ApplicationRow,
    coordinatorOrganisationId: string | null,
    action: AuditAction,
    origin: RequestOrigin,
    details: Record<string, string | boolean> = {},
    principal?: OrganisationPrincipal,
  ): NewAuditEvent {
    return this.audit.event(
      {
        action,
        organisationId: coordinatorOrganisationId ?? application.id,
        targetType: AuditTargetType.Application,
        targetId: application.id,
        details,
      },
      principal,
      origin,
    );
  }

  /** Approval under the new organisation: it was created from the application, and its first org-admin invited. */
  private approvalEvents(
    application: ApplicationRow,
    created: { organisationId: string; userId: string },
    invitationExpiresAt: Date,
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
  ): NewAuditEvent[] {
    const { organisationId, userId } = created;
    return [
      this.audit.event(
        {
          action: AuditAction.OrganisationCreated,
          organisationId,
          targetType: AuditTargetType.Organisation,
          targetId: organisationId,
          details: { application_id: application.id, kind: application.kind, status: 'active' },
        },
        principal,
        origin,
      ),
      this.audit.event(
        {
          action: AuditAction.UserInvited,
          organisationId,
          targetType: AuditTargetType.User,
          targetId: userId,
          details: { role: 'org-admin', invitation_expires_at: invitationExpiresAt.toISOString() },
        },
        principal,
        origin,
      ),
    ];
  }
}
