import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, generateInvitationToken, hashInvitationToken } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { DirectoryReachabilityRepository, ReachabilityCheckSummary } from '@vigia/database';
import { Mailer } from '@vigia/mail';
import {
  ContactConfirmationDto,
  DEFAULT_RESPOND_WITHIN_HOURS,
  ReachabilityCheckDto,
  StartReachabilityCheckDto,
} from './dto/reachability.dto';
import { REACHABILITY_CHECK_MAIL } from './reachability-mails';
import { linkPagePath } from '../link-pages/link-page-paths';

const HOUR_MS = 3_600_000;
/** Confirmation links carry 256 random bits, base64url: anything else cannot be one. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Where the portal's page for a confirmation link is; it posts the token to `POST /api/v1/directory/confirmations`. */
export const confirmationLinkPath = (token: string, locale?: string | null): string =>
  linkPagePath('contactConfirmation', token, locale);

const checkNotFound = (id: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No reachability check ${id}`);

/**
 * Reachability checks: the coordinator asks every 24/7 contact of the active members to confirm by a one-time link
 * (mailed in the contact's language, encrypted to its key when it has one); confirmations set the contact's
 * `last_confirmed_at`, and contacts that did not confirm in time are flagged in the directory and in the check.
 */
@Injectable()
export class ReachabilityService {
  private readonly logger = new Logger(ReachabilityService.name);

  constructor(
    private readonly checks: DirectoryReachabilityRepository,
    private readonly mailer: Mailer,
    private readonly audit: AuditLog,
  ) {}

  async start(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    dto: StartReachabilityCheckDto,
  ): Promise<ReachabilityCheckDto> {
    const hours = dto.respond_within_hours ?? DEFAULT_RESPOND_WITHIN_HOURS;
    const respondBy = new Date(Date.now() + hours * HOUR_MS);
    const { checkId, mails } = await this.checks.startCheck(principal.userId ?? null, respondBy, (id, contacts) => {
      const asked = contacts.map((contact) => ({ contact, ...generateInvitationToken() }));
      return {
        confirmations: asked.map(({ contact, hash }) => ({
          contactId: contact.contactId,
          organisationId: contact.organisationId,
          tokenHash: hash,
        })),
        mails: asked.map(({ contact, token }) =>
          this.mailer.compose(
            REACHABILITY_CHECK_MAIL,
            {
              contactName: contact.name,
              organisationName: contact.organisationName,
              link: this.mailer.link(confirmationLinkPath(token, contact.languages.join(','))),
              respondBy,
            },
            {
              to: contact.email,
              locale: contact.languages.join(','),
              pgpPublicKey: contact.pgpPublicKey,
              category: 'directory-reachability-check',
              organisationId: contact.organisationId,
            },
          ),
        ),
        audit: this.audit.event(
          {
            action: AuditAction.DirectoryReachabilityCheckStarted,
            targetType: AuditTargetType.ReachabilityCheck,
            targetId: id,
            details: {
              contacts: contacts.length,
              organisations: new Set(contacts.map((contact) => contact.organisationId)).size,
              respond_within_hours: hours,
            },
          },
          principal,
          origin,
        ),
      };
    });
    await this.mailer.dispatch(mails);
    this.logger.log({ checkId, contacts: mails.length, by: principal.userId }, 'reachability check started');
    return this.get(checkId);
  }

  async get(id: string): Promise<ReachabilityCheckDto> {
    const summary = await this.checks.summary(id);
    if (!summary) throw checkNotFound(id);
    return toReachabilityCheckDto(summary);
  }

  /** Confirms the contact behind a link; using it again answers the same. 404 for unknown or expired links. */
  async confirm(origin: RequestOrigin, token: string): Promise<ContactConfirmationDto> {
    const confirmation = TOKEN_SHAPE.test(token)
      ? await this.checks.confirm(hashInvitationToken(token), (confirmed) =>
          this.audit.event(
            {
              action: AuditAction.DirectoryContactConfirmed,
              organisationId: confirmed.organisationId,
              targetType: AuditTargetType.DirectoryContact,
              targetId: confirmed.contactId,
              details: { check_id: confirmed.checkId },
            },
            undefined,
            origin,
          ),
        )
      : undefined;
    if (!confirmation) {
      throw new VigiaException(ErrorCode.NotFound, 'This confirmation link is unknown or has expired');
    }
    if (confirmation.firstTime) {
      this.logger.log(
        { checkId: confirmation.checkId, contactId: confirmation.contactId },
        'directory contact confirmed reachability',
      );
    }
    return { confirmed_at: confirmation.confirmedAt.toISOString() };
  }
}

const toReachabilityCheckDto = (summary: ReachabilityCheckSummary): ReachabilityCheckDto => ({
  id: summary.id,
  started_at: summary.startedAt.toISOString(),
  respond_by: summary.respondBy.toISOString(),
  closed: summary.respondBy.getTime() <= Date.now(),
  asked: summary.asked,
  confirmed: summary.confirmed,
  unconfirmed: summary.unconfirmed.map((contact) => ({
    contact_id: contact.contactId,
    organisation_id: contact.organisationId,
    organisation_name: contact.organisationName,
    name: contact.name,
    email: contact.email,
  })),
});
