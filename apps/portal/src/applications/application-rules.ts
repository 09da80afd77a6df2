import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, generateInvitationToken } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import {
  ApplicantTokenWrite,
  ApplicationChange,
  ApplicationRow,
  ApplicationStatus,
  NewAuditEvent,
} from '@vigia/database';
import { workingDaysBetween } from './review-clock';
import { linkPagePath } from '../link-pages/link-page-paths';

// What the applicant's and the reviewers' sides of admission share: statuses, links, answers, the clock, audit.

/** How long the e-mail verification link works. */
export const VERIFICATION_TTL_MS = 48 * 60 * 60 * 1000;
/** How long the applicant's link works; each information request sends a new one. */
export const APPLICANT_LINK_TTL_MS = 90 * 24 * 60 * 60 * 1000;

export const verificationLinkPath = (token: string, locale?: string | null): string =>
  linkPagePath('applicationVerification', token, locale);
export const applicantLinkPath = (token: string, locale?: string | null): string =>
  linkPagePath('applicant', token, locale);

/** Open applications, which the applicant may withdraw. */
export const OPEN: readonly ApplicationStatus[] = [
  ApplicationStatus.Submitted,
  ApplicationStatus.UnderReview,
  ApplicationStatus.InformationRequested,
];

/** In review: members see these and may endorse them. */
export const IN_REVIEW: ApplicationStatus[] = [ApplicationStatus.UnderReview, ApplicationStatus.InformationRequested];

/** Where the coordinator may move an application from each status. */
export const COORDINATOR_MOVES: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
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

export const applicationNotFound = (id: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No application ${id}`);

export const invalidLink = (): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, 'The link is unknown, already used or expired', [
    { path: 'token', reason: 'unknown, already used or expired link' },
  ]);

export const conflict = (message: string): VigiaException => new VigiaException(ErrorCode.Conflict, message);

/** Leaving `information_requested`: the clock runs again, not counting the working days it waited. */
export const resumedClock = (current: ApplicationRow): ApplicationChange['clock'] =>
  current.clockPausedAt ? { resumeAfterDays: workingDaysBetween(current.clockPausedAt, new Date()) } : undefined;

export const newApplicantToken = (): { token: string; write: ApplicantTokenWrite } => {
  const { token, hash } = generateInvitationToken();
  return { token, write: { hash, expiresAt: new Date(Date.now() + APPLICANT_LINK_TTL_MS) } };
};

/**
 * An audit event about the application, under the coordinating organisation (there is no other before approval;
 * the application's own id when the network has no coordinating organisation yet).
 */
export function applicationAuditEvent(
  audit: AuditLog,
  application: ApplicationRow,
  coordinatorOrganisationId: string | null,
  action: AuditAction,
  origin: RequestOrigin,
  details: Record<string, string | boolean> = {},
  principal?: OrganisationPrincipal,
): NewAuditEvent {
  return audit.event(
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
