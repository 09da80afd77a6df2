import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, generateInvitationToken, isCoordinator } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import {
  ApplicationChange,
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
import { INVITATION_TTL_MS, invitationLinkPath } from '../users/users.service';
import {
  APPLICATION_APPROVED_MAIL,
  APPLICATION_INFORMATION_REQUESTED_MAIL,
  APPLICATION_REJECTED_MAIL,
} from './application-mails';
import {
  COORDINATOR_MOVES,
  IN_REVIEW,
  OPEN,
  applicantLinkPath,
  applicationAuditEvent,
  applicationNotFound,
  conflict,
  newApplicantToken,
  resumedClock,
} from './application-rules';
import {
  ReviewSettings,
  shortNameOf,
  toApplicationDto,
  toApplicationSummaryDto,
  toDirectoryEntry,
  toNewOrganisation,
} from './application.mapper';
import { ApplicationDto, ApplicationListDto, ApplicationSummaryDto } from './dto/application-answers.dto';
import {
  ApplicationCommentDto,
  ApplicationListQueryDto,
  ApplicationTransitionDto,
  EndorsementDto,
  ExternalEndorsementDto,
} from './dto/application-input.dto';

/**
 * Review and sponsorship of applications: coordinators list and read them with their clock and history, move them on
 * (questions and rejections mailed with the reason), comment, record external endorsements; org-admins of members
 * endorse those in review. Approval creates the organisation, its directory entry and the invitation of its first
 * org-admin, in the transaction of the status change.
 */
@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applications: ApplicationRepository,
    private readonly mailer: Mailer,
    private readonly audit: AuditLog,
  ) {}

  private get settings(): ReviewSettings {
    const { reviewTargetWorkingDays, endorsementsRequired } = this.config.applications;
    return { targetWorkingDays: reviewTargetWorkingDays, endorsementsRequired };
  }

  // Audit: events about an application are recorded under the coordinating organisation (there is no other yet),
  // endorsements under the endorsing member's; approval also under the organisation it creates.

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
      const statusEvent = applicationAuditEvent(
        this.audit,
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
              link: this.mailer.link(applicantLinkPath(applicant.token, current.locale)),
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
            link: this.mailer.link(invitationLinkPath(invitation.token, application.locale)),
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
        applicationAuditEvent(
          this.audit,
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
          applicationAuditEvent(
            this.audit,
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
