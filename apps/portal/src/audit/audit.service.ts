import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLog, RequestOrigin } from '@vigia/audit';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, VigiaException, validationException } from '@vigia/common';
import { AuditFilter, AuditRepository, UserRole } from '@vigia/database';
import { toAuditEventDto } from './audit.mapper';
import { AuditPageDto, AuditQueryDto, ListAuditQueryDto } from './dto/audit.dto';

const DEFAULT_PAGE_SIZE = 50;
const EXPORT_BATCH_SIZE = 500;

/** Reading the audit log: coordinators read the whole network's, org admins their organisation's, nobody else any. */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Newest first. */
  async list(principal: OrganisationPrincipal, query: ListAuditQueryDto): Promise<AuditPageDto> {
    const filter = scopedFilter(principal, query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.events.page(filter, beforeId, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditEventDto),
      next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  /**
   * Every matching event as JSON lines, newest first, read in batches as the client takes them (memory stays flat).
   * Who may see what is checked now, before anything is sent; the export itself is recorded (which filters, not
   * their values).
   */
  async exportLines(
    principal: OrganisationPrincipal,
    query: AuditQueryDto,
    origin: RequestOrigin,
  ): Promise<AsyncIterable<string>> {
    const filter = scopedFilter(principal, query);
    await this.audit.record(
      {
        action: AuditAction.AuditExported,
        organisationId: filter.organisationId,
        details: { filters: Object.keys(query).filter((key) => query[key as keyof AuditQueryDto] !== undefined) },
      },
      principal,
      origin,
    );
    return this.lines(filter);
  }

  private async *lines(filter: AuditFilter): AsyncGenerator<string> {
    for await (const batch of this.events.exportBatches(filter, EXPORT_BATCH_SIZE)) {
      yield batch.map((row) => `${JSON.stringify(toAuditEventDto(row))}\n`).join('');
    }
  }
}

/** The query as a filter the caller may run: an org admin's is always their own organisation's. */
function scopedFilter(principal: OrganisationPrincipal, query: AuditQueryDto): AuditFilter {
  const filter: AuditFilter = {
    actionPrefix: query.action,
    actorId: query.actor,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  };
  if (principal.role === UserRole.Coordinator) return { ...filter, organisationId: query.organisation };
  if (principal.role !== UserRole.OrgAdmin) {
    throw new VigiaException(ErrorCode.Forbidden, 'Only coordinators and organisation admins may read the audit log');
  }
  if (query.organisation !== undefined && query.organisation !== principal.organisationId) {
    throw new VigiaException(ErrorCode.Forbidden, 'Organisation admins read only their own organisation’s events');
  }
  return { ...filter, organisationId: principal.organisationId };
}

const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

function decodeCursor(text: string): string {
  const id = Buffer.from(text, 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,17}$/.test(id)) {
    throw validationException([{ path: 'cursor', value: text, reason: 'not a cursor this API returned' }]);
  }
  return id;
}
