import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { StixObjectRepository, VisibleObjectVersion } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { StixObjectsDto } from './dto/object-answers.dto';
import { STIX_ID } from './dto/object-query.dto';
import { toStixObjectsDto } from './objects.mapper';

/** Levels whose every read is audited: they reach named organisations only. */
const AUDITED_LEVELS: ReadonlySet<string> = new Set([TlpLevel.AmberStrict, TlpLevel.Red]);

/**
 * STIX objects by id, under the one sharing rule (`StixObjectRepository.findVisible…`): an object the caller may not
 * see answers 404 exactly as one that does not exist.
 */
@Injectable()
export class ObjectsService {
  private readonly logger = new Logger('Objects');

  constructor(
    private readonly stixObjects: StixObjectRepository,
    private readonly audit: AuditLog,
  ) {}

  async read(
    stixId: string,
    version: string | undefined,
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
  ): Promise<StixObjectsDto> {
    if (!STIX_ID.test(stixId)) {
      throw validationException([{ path: 'stixId', reason: 'must be a STIX id such as indicator--<UUID>' }]);
    }
    const versions = await this.versionsOf(stixId, version, principal.organisationId);
    if (versions.length === 0) throw new VigiaException(ErrorCode.NotFound, `No object ${stixId}`);
    const audited = versions.filter((stored) => stored.tlp !== null && AUDITED_LEVELS.has(stored.tlp));
    if (audited.length > 0) {
      // One event per read, naming the restricted versions read (never their content).
      await this.audit.record(
        {
          action: AuditAction.ObjectRead,
          targetType: AuditTargetType.StixObject,
          targetId: stixId,
          details: {
            tlp: [...new Set(audited.map((stored) => stored.tlp as string))],
            versions: audited.map((stored) => stored.modified.toISOString()),
            owner: audited[0]?.createdByOrg ?? null,
          },
        },
        principal,
        origin,
      );
    }
    this.logger.log({ stixId, versions: versions.length, organisationId: principal.organisationId }, 'object read');
    return toStixObjectsDto(versions);
  }

  private async versionsOf(
    stixId: string,
    version: string | undefined,
    viewerId: string,
  ): Promise<VisibleObjectVersion[]> {
    if (version === undefined) {
      const latest = await this.stixObjects.findVisibleLatestById(stixId, viewerId);
      return latest ? [latest] : [];
    }
    if (version === 'all') return this.stixObjects.findVisibleVersionsById(stixId, viewerId);
    return this.stixObjects.findVisibleVersionsById(stixId, viewerId, new Date(version));
  }
}
