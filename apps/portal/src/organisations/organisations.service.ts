import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal, isCoordinator, organisationNotFound } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { OrganisationKind, OrganisationRepository, OrganisationStatus } from '@vigia/database';
import { CreateOrganisationDto, OrganisationDto } from './dto/organisation.dto';
import { OrganisationAccess } from './organisation-access.service';
import { OrganisationStatusNotices } from './organisation-status-notices';
import { newOrganisationOf, toOrganisationDto } from './organisation.mapper';

/** The network's member organisations: coordinators manage them all, everyone else sees only their own. */
@Injectable()
export class OrganisationsService {
  private readonly logger = new Logger(OrganisationsService.name);

  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly access: OrganisationAccess,
    private readonly audit: AuditLog,
    private readonly notices: OrganisationStatusNotices,
  ) {}

  // Audit: each change below is recorded in the transaction that makes it, under the organisation acted on.

  /** A new member organisation, active at once. */
  async create(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    dto: CreateOrganisationDto,
  ): Promise<OrganisationDto> {
    const created = await this.organisations.create(newOrganisationOf(dto), (stored) =>
      this.audit.event(
        {
          action: AuditAction.OrganisationCreated,
          organisationId: stored.id,
          targetType: AuditTargetType.Organisation,
          targetId: stored.id,
          details: { short_name: stored.shortName, kind: stored.kind, status: stored.status },
        },
        principal,
        origin,
      ),
    );
    if (!created) {
      throw new VigiaException(ErrorCode.Conflict, `An organisation with short name ${dto.short_name} exists`);
    }
    this.logger.log({ organisationId: created.id, by: principal.userId }, 'organisation created');
    return toOrganisationDto(created);
  }

  /** Every organisation for a coordinator; the caller's own for anyone else. */
  async list(principal: OrganisationPrincipal): Promise<OrganisationDto[]> {
    const found = await this.organisations.list(isCoordinator(principal) ? undefined : principal.organisationId);
    return found.map(toOrganisationDto);
  }

  async get(principal: OrganisationPrincipal, id: string): Promise<OrganisationDto> {
    return toOrganisationDto(await this.access.find(principal, id));
  }

  /**
   * Suspends or reinstates a member, with the coordinator's reason. Once committed, a suspended organisation's keys
   * and people are refused on their next request (nothing caches them), its open streams end on every portal, its
   * subscriptions pause (the matcher skips members that are not active; their own `active` flags are kept, so they
   * resume on reinstatement), webhook deliveries still to be sent to it are dead-lettered and its warning mails still
   * queued are failed. Setting the status it
   * already has changes (and records) nothing.
   */
  async setStatus(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    id: string,
    status: OrganisationStatus,
    reason: string,
  ): Promise<OrganisationDto> {
    const organisation = await this.organisations.findById(id);
    if (!organisation) throw organisationNotFound(id);
    if (organisation.kind === OrganisationKind.Coordinator && status !== OrganisationStatus.Active) {
      throw new VigiaException(ErrorCode.Conflict, 'The coordinating organisation cannot be suspended');
    }
    const updated = await this.organisations.setStatus(id, status, reason, (change) =>
      this.audit.event(
        {
          action: AuditAction.OrganisationStatusChanged,
          organisationId: id,
          targetType: AuditTargetType.Organisation,
          targetId: id,
          details: {
            from: change.from,
            to: status,
            reason,
            cancelled_deliveries: change.cancelledDeliveries,
            cancelled_mails: change.cancelledMails,
          },
        },
        principal,
        origin,
      ),
    );
    if (!updated) throw organisationNotFound(id);
    if (organisation.status !== status) await this.notices.announce(id, status);
    this.logger.log({ organisationId: id, status, by: principal.userId }, 'organisation status changed');
    return toOrganisationDto(updated);
  }
}
