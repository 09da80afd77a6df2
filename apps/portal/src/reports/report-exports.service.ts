import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { StixObjectRepository, VisibleObjectVersion } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { Bundle, buildBundle } from '@vigia/stix';
import { MISP_FEED_FILE, ReportExportFormat } from './dto/report-export.dto';
import { manifestEntryOf, mispEventOf } from './misp-event.mapper';
import { basedOnRelationship, bundleObjects, observableIdOf, referencedIds } from './report-bundle.mapper';

/** Levels whose every read is audited: they reach named organisations only. */
const AUDITED_LEVELS: ReadonlySet<string> = new Set([TlpLevel.AmberStrict, TlpLevel.Red]);
/** How far references are followed from the report (its objects, then what they name, then their creators). */
const REFERENCE_DEPTH = 3;
/** Events a MISP feed lists, newest first. */
export const MISP_FEED_EVENTS = 1000;

type MispEvent = ReturnType<typeof mispEventOf>;

/**
 * A report with what it refers to, as the caller may see it (the one sharing rule, `StixObjectRepository
 * .findVisible…`): a STIX 2.1 bundle, a MISP event, or the caller's MISP feed. A report the caller may not see
 * answers 404 as one that does not exist; objects of it the caller may not see are left out.
 */
@Injectable()
export class ReportExportsService {
  private readonly logger = new Logger('ReportExports');

  constructor(
    private readonly stixObjects: StixObjectRepository,
    private readonly audit: AuditLog,
  ) {}

  async export(
    reportId: string,
    format: ReportExportFormat,
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
  ): Promise<Bundle | MispEvent> {
    const report = await this.stixObjects.findVisibleLatestById(`report--${reportId}`, principal.organisationId);
    if (!report || report.imported) throw new VigiaException(ErrorCode.NotFound, `No report ${reportId}`);
    const objects = await this.referencedObjects(report, principal.organisationId);
    await this.auditRestricted(reportId, [report, ...objects], format, principal, origin);
    this.logger.log(
      { reportId, format, objects: objects.length, organisationId: principal.organisationId },
      'report exported',
    );
    if (format === ReportExportFormat.Misp) return mispEventOf(reportId, report, objects);
    return buildBundle(bundleObjects(report, objects, this.basedOn(objects)));
  }

  /** `manifest.json` (every event the caller may receive, by uuid) or one `<uuid>.json` event. */
  async mispFeedFile(file: string, principal: OrganisationPrincipal, origin: RequestOrigin): Promise<object> {
    const match = MISP_FEED_FILE.exec(file);
    if (!match) {
      throw validationException([{ path: 'file', reason: 'must be manifest.json or <event uuid>.json' }]);
    }
    const viewer = principal.organisationId;
    if (match[1] !== 'manifest') {
      const report = await this.stixObjects.findVisibleLatestById(`report--${match[1]}`, viewer);
      // A feed goes into other systems: RED stays out, as for a subscription that does not accept it.
      if (!report || report.imported || report.tlp === TlpLevel.Red) {
        throw new VigiaException(ErrorCode.NotFound, `No event ${file}`);
      }
      const objects = await this.referencedObjects(report, viewer);
      await this.auditRestricted(match[1] ?? '', [report, ...objects], 'misp-feed', principal, origin);
      return mispEventOf(match[1] ?? '', report, objects);
    }
    const reports = await this.stixObjects.findVisibleReportObjects(viewer, {
      withRed: false,
      limit: MISP_FEED_EVENTS,
    });
    const identities = await this.stixObjects.findVisibleLatestByIds(
      [...new Set(reports.map((report) => String(report.object.created_by_ref ?? '')))],
      viewer,
    );
    const manifest: Record<string, object> = {};
    for (const report of reports) {
      const reportId = report.stixId.slice('report--'.length);
      const creator = identities.get(String(report.object.created_by_ref ?? ''))?.object.name;
      manifest[reportId] = manifestEntryOf(mispEventOf(reportId, report, []), String(creator ?? 'Vigia'));
    }
    this.logger.log({ events: reports.length, organisationId: viewer }, 'MISP feed manifest read');
    return manifest;
  }

  /** What the report refers to, and what those name in turn (creators, markings, sighted objects), as visible. */
  private async referencedObjects(report: VisibleObjectVersion, viewerId: string): Promise<VisibleObjectVersion[]> {
    const found = new Map<string, VisibleObjectVersion>([[report.stixId, report]]);
    let wanted = referencedIds(report.object);
    for (let depth = 0; depth < REFERENCE_DEPTH && wanted.length > 0; depth += 1) {
      const fresh = [...new Set(wanted)].filter((id) => !found.has(id));
      const stored = await this.stixObjects.findVisibleLatestByIds(fresh, viewerId);
      for (const [id, object] of stored) found.set(id, object);
      // Vigia's value indicators stand for their SCOs: bring those along for the based-on relationships.
      wanted = [...stored.values()].flatMap((object) => [
        ...referencedIds(object.object),
        ...(observableIdOf(object) ? [observableIdOf(object) as string] : []),
      ]);
    }
    found.delete(report.stixId);
    return [...found.values()];
  }

  private basedOn(objects: readonly VisibleObjectVersion[]): ReturnType<typeof basedOnRelationship>[] {
    const present = new Set(objects.map((object) => object.stixId));
    return objects.flatMap((object) => {
      const observable = observableIdOf(object);
      return observable && present.has(observable) ? [basedOnRelationship(object, observable)] : [];
    });
  }

  private async auditRestricted(
    reportId: string,
    objects: readonly VisibleObjectVersion[],
    format: string,
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
  ): Promise<void> {
    const levels = [
      ...new Set(objects.flatMap((object) => (object.tlp && AUDITED_LEVELS.has(object.tlp) ? [object.tlp] : []))),
    ];
    if (levels.length === 0) return;
    await this.audit.record(
      {
        action: AuditAction.ObjectRead,
        targetType: AuditTargetType.Report,
        targetId: reportId,
        details: { format, tlp: levels, objects: objects.length },
      },
      principal,
      origin,
    );
  }
}
