import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { ConstituencyWarningRepository, UserRole } from '@vigia/database';
import { OrganisationAccess } from '../organisations/organisation-access.service';
import { SubscriptionChanges } from '../subscriptions/subscription-changes';
import { ConstituencyWarningsDto, UpdateConstituencyWarningsDto } from './dto/constituency-warnings.dto';
import { auditedChange, changedSettings, toConstituencyWarningsDto } from './constituency-warnings.mapper';

/** People who may change them: the organisation's admins and the coordinator (API keys need the scope only). */
const SETTING_ROLES: readonly UserRole[] = [UserRole.OrgAdmin, UserRole.Coordinator];

/**
 * A member's constituency warnings: warnings about reports on its own constituency in the directory, without a
 * subscription. On by default; the member tunes the minimum severity, the channels and TLP:RED.
 */
@Injectable()
export class ConstituencyWarningsService {
  private readonly logger = new Logger(ConstituencyWarningsService.name);

  constructor(
    private readonly settings: ConstituencyWarningRepository,
    private readonly access: OrganisationAccess,
    private readonly audit: AuditLog,
    private readonly changes: SubscriptionChanges,
  ) {}

  async get(principal: OrganisationPrincipal, organisationId: string): Promise<ConstituencyWarningsDto> {
    await this.access.find(principal, organisationId);
    return toConstituencyWarningsDto(organisationId, await this.settings.find(organisationId));
  }

  /** Recorded with before and after in the change's transaction; the matcher rebuilds its index at once. */
  async update(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    dto: UpdateConstituencyWarningsDto,
  ): Promise<ConstituencyWarningsDto> {
    await this.access.find(principal, organisationId);
    if (principal.userId && !(principal.role && SETTING_ROLES.includes(principal.role))) {
      throw new VigiaException(ErrorCode.Forbidden, `Only ${SETTING_ROLES.join(' or ')} may do this`);
    }
    const current = await this.settings.find(organisationId);
    const stored = await this.settings.save(organisationId, changedSettings(current, dto), (before, after) =>
      this.audit.event(
        {
          action: AuditAction.ConstituencyWarningsChanged,
          organisationId,
          targetType: AuditTargetType.Organisation,
          targetId: organisationId,
          details: auditedChange(before, after),
        },
        principal,
        origin,
      ),
    );
    await this.changes.announce();
    this.logger.log(
      { organisationId, enabled: stored.enabled, by: principal.userId ?? principal.apiKeyId },
      'constituency warnings changed',
    );
    return toConstituencyWarningsDto(organisationId, stored);
  }
}
