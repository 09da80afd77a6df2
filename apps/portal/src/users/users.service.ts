import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import {
  OrganisationPrincipal,
  generateInvitationToken,
  hashInvitationToken,
  hashPassword,
  isCoordinator,
} from '@vigia/auth';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import {
  InvitationRepository,
  NewAuditEvent,
  OrganisationEntity,
  OrganisationKind,
  UserEntity,
  UserChangeMade,
  UserRepository,
  UserRole,
} from '@vigia/database';
import { OrganisationAccess } from '../organisations/organisation-access.service';
import { AcceptInvitationDto, CreateUserDto, CreatedUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { linkPagePath } from '../link-pages/link-page-paths';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Where the portal's front end takes an invitation token. */
export const invitationLinkPath = (token: string, locale?: string | null): string =>
  linkPagePath('invitation', token, locale);

/**
 * People's accounts: coordinators manage every organisation's, org-admins their own. New accounts have no password
 * until their one-time invitation is accepted.
 */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly access: OrganisationAccess,
    private readonly users: UserRepository,
    private readonly invitations: InvitationRepository,
    private readonly audit: AuditLog,
  ) {}

  // Audit: every change below is recorded in the transaction that makes it, under the organisation of the account
  // (which is not the actor's when a coordinator acts on a member's people).

  async list(principal: OrganisationPrincipal, organisationId: string): Promise<UserDto[]> {
    const organisation = await this.access.find(principal, organisationId);
    return (await this.users.listInOrganisation(organisation.id)).map(toUserDto);
  }

  /** Creates the account with an invitation; its token is answered this once (kept only as a hash, never logged). */
  async create(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    dto: CreateUserDto,
  ): Promise<CreatedUserDto> {
    const organisation = await this.access.find(principal, organisationId);
    assertRoleAllowed(principal, organisation, dto.role);
    const invitation = generateInvitationToken();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const created = await this.invitations.createInvitedUser(
      { organisationId: organisation.id, email: dto.email, displayName: dto.display_name, role: dto.role },
      { tokenHash: invitation.hash, expiresAt, createdBy: principal.userId ?? null },
      (user) =>
        this.audit.event(
          {
            action: AuditAction.UserInvited,
            organisationId: organisation.id,
            targetType: AuditTargetType.User,
            targetId: user.id,
            details: { role: user.role, invitation_expires_at: expiresAt.toISOString() },
          },
          principal,
          origin,
        ),
    );
    if (!created) throw new VigiaException(ErrorCode.Conflict, `An account with e-mail ${dto.email} exists`);
    const linkPath = invitationLinkPath(invitation.token);
    // The link holds a one-time secret: it goes to the creator in the answer (who passes it on; invitations made here
    // are not mailed, unlike the first org-admin's of an approved application), never to the logs.
    this.logger.log(
      { userId: created.user.id, organisationId: organisation.id, expiresAt, by: principal.userId },
      'invitation created',
    );
    return {
      ...toUserDto(created.user),
      invitation: { token: invitation.token, link_path: linkPath, expires_at: expiresAt.toISOString() },
    };
  }

  /**
   * Changes an account's role or disables it. Nobody disables themselves; an org-admin cannot remove their
   * organisation's last enabled org-admin.
   */
  async update(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    userId: string,
    dto: UpdateUserDto,
  ): Promise<UserDto> {
    const organisation = await this.access.find(principal, organisationId);
    if (dto.role !== undefined) assertRoleAllowed(principal, organisation, dto.role);
    const updated = await this.users.updateInOrganisation(
      organisation.id,
      userId,
      dto,
      (target, otherAdmins) => checkChange(principal, target, dto, otherAdmins),
      (made) => this.changeEvents(principal, origin, organisation.id, userId, made),
    );
    if (!updated) throw new VigiaException(ErrorCode.NotFound, `No user ${userId} in organisation ${organisationId}`);
    this.logger.log(
      { userId, organisationId, role: dto.role, disabled: dto.disabled, by: principal.userId },
      'user changed',
    );
    return toUserDto(updated);
  }

  /** One event per thing that changed: the role (from and to) and whether the account is disabled. */
  private changeEvents(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    userId: string,
    made: UserChangeMade,
  ): NewAuditEvent[] {
    const target = { organisationId, targetType: AuditTargetType.User, targetId: userId };
    const events: NewAuditEvent[] = [];
    if (made.role) {
      events.push(
        this.audit.event(
          { ...target, action: AuditAction.UserRoleChanged, details: { from: made.role.from, to: made.role.to } },
          principal,
          origin,
        ),
      );
    }
    if (made.disabled !== undefined) {
      events.push(
        this.audit.event(
          { ...target, action: AuditAction.UserDisabled, details: { disabled: made.disabled } },
          principal,
          origin,
        ),
      );
    }
    return events;
  }

  /** Sets the password of a live invitation's account and spends the invitation; recorded with no actor. */
  async acceptInvitation(origin: RequestOrigin, dto: AcceptInvitationDto): Promise<void> {
    const tokenHash = hashInvitationToken(dto.token);
    // Checked before the (deliberately slow) password hash, so unknown tokens cost the server nothing.
    if (!(await this.invitations.isLive(tokenHash))) throw invalidInvitation();
    const userId = await this.invitations.accept(tokenHash, await hashPassword(dto.password), (accepted) =>
      this.audit.event(
        {
          action: AuditAction.UserInvitationAccepted,
          organisationId: accepted.organisationId,
          targetType: AuditTargetType.User,
          targetId: accepted.userId,
        },
        undefined,
        origin,
      ),
    );
    if (!userId) throw invalidInvitation();
    this.logger.log({ userId }, 'invitation accepted');
  }
}

const invalidInvitation = (): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, 'The invitation is unknown, already used or expired', [
    { path: 'token', reason: 'unknown, already used or expired invitation' },
  ]);

/** Org-admins give their own organisation analysts and org-admins; coordinators live in the coordinating one. */
function assertRoleAllowed(principal: OrganisationPrincipal, organisation: OrganisationEntity, role: UserRole): void {
  if (role !== UserRole.Coordinator) return;
  if (!isCoordinator(principal)) throw new VigiaException(ErrorCode.Forbidden, 'Only coordinators make coordinators');
  if (organisation.kind !== OrganisationKind.Coordinator) {
    throw validationException([
      { path: 'role', value: role, reason: 'coordinators belong to the coordinating organisation' },
    ]);
  }
}

function checkChange(
  principal: OrganisationPrincipal,
  target: UserEntity,
  dto: UpdateUserDto,
  otherActiveOrgAdmins: number,
): void {
  if (dto.disabled === true && target.id === principal.userId) {
    throw new VigiaException(ErrorCode.Conflict, 'You cannot disable your own account');
  }
  if (target.role === UserRole.Coordinator && !isCoordinator(principal)) {
    throw new VigiaException(ErrorCode.Forbidden, 'Only coordinators change coordinators');
  }
  const removesOrgAdmin =
    target.role === UserRole.OrgAdmin &&
    target.disabledAt === null &&
    ((dto.role !== undefined && dto.role !== UserRole.OrgAdmin) || dto.disabled === true);
  if (removesOrgAdmin && otherActiveOrgAdmins === 0 && !isCoordinator(principal)) {
    throw new VigiaException(ErrorCode.Conflict, 'The organisation must keep at least one enabled org-admin');
  }
}
