import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { MemberCountRow } from '../entities/organisation.rows';
import { WARNING_MAIL_CATEGORIES } from '../entities/constituency-warning.rows';
import { OrganisationEntity, OrganisationKind, OrganisationStatus } from '../entities/organisation.entity';
import { appendAuditEvents } from './audit.repository';
import { isUniqueViolation } from './report.repository';
import { failQueuedMailsOf } from './mail.repository';
import { RECIPIENT_SUSPENDED, deadLetterOpenDeliveriesOf } from './webhook-delivery.repository';

/** A member organisation to create. */
export interface NewOrganisation {
  name: string;
  shortName: string;
  kind: OrganisationKind;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string | null;
  sector: string | null;
  status: OrganisationStatus;
}

/** What a status change did, for its audit event. */
export interface StatusChange {
  from: OrganisationStatus;
  /** Webhook deliveries to the organisation dead-lettered by its suspension. */
  cancelledDeliveries: number;
  /** Warning mails to its contacts still queued, failed by its suspension. */
  cancelledMails: number;
}

/** `organisations`: the network's members. */
@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Which of these ids name an organisation. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.dataSource.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[])`, [ids])) as {
      id: string;
    }[];
    return new Set(rows.map((row) => row.id));
  }

  /** The network's coordinating organisation, created (active) the first time it is asked for. */
  async findOrCreateCoordinator(name: string, shortName: string): Promise<OrganisationEntity> {
    const existing = await this.dataSource.manager.findOne(OrganisationEntity, {
      where: { kind: OrganisationKind.Coordinator },
    });
    if (existing) return existing;
    return this.dataSource.manager.save(
      this.dataSource.manager.create(OrganisationEntity, {
        name,
        shortName,
        kind: OrganisationKind.Coordinator,
        status: OrganisationStatus.Active,
      }),
    );
  }

  /**
   * The new organisation, with the audit event `auditOf` makes of it (when given) in the same transaction; undefined
   * (and no event) when its short name is taken.
   */
  async create(
    organisation: NewOrganisation,
    auditOf?: (created: OrganisationEntity) => NewAuditEvent,
  ): Promise<OrganisationEntity | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(manager.create(OrganisationEntity, organisation));
        if (auditOf) await appendAuditEvents(manager, [auditOf(created)]);
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async findById(id: string): Promise<OrganisationEntity | null> {
    return this.dataSource.manager.findOne(OrganisationEntity, { where: { id } });
  }

  /** Every organisation by name, or only the one with `onlyId`. */
  async list(onlyId?: string): Promise<OrganisationEntity[]> {
    return this.dataSource.manager.find(OrganisationEntity, {
      where: onlyId ? { id: onlyId } : {},
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** Which of these organisations are active members (the others are suspended, gone or not admitted yet). */
  async activeAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.dataSource.query(
      `SELECT id FROM organisations WHERE id = ANY($1::uuid[]) AND status = 'active'`,
      [ids],
    )) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /**
   * The organisation with its new status, or null when there is none with this id. When the status changes, it is
   * stored with its reason; a suspension (any status but active) dead-letters the webhook deliveries still to be sent
   * to it and fails its warning mails still queued, and the audit event `auditOf` makes of the change is appended, all in one transaction. An unchanged status
   * changes and records nothing.
   */
  async setStatus(
    id: string,
    status: OrganisationStatus,
    reason: string,
    auditOf: (change: StatusChange) => NewAuditEvent,
  ): Promise<OrganisationEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOne(OrganisationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) return null;
      if (found.status === status) return found;
      await manager.update(
        OrganisationEntity,
        { id },
        { status, statusReason: reason, statusChangedAt: () => 'now()' },
      );
      const suspended = status !== OrganisationStatus.Active;
      const cancelledDeliveries = suspended ? await deadLetterOpenDeliveriesOf(manager, id) : 0;
      const cancelledMails = suspended
        ? await failQueuedMailsOf(manager, id, WARNING_MAIL_CATEGORIES, RECIPIENT_SUSPENDED)
        : 0;
      await appendAuditEvents(manager, [auditOf({ from: found.status, cancelledDeliveries, cancelledMails })]);
      return manager.findOneOrFail(OrganisationEntity, { where: { id } });
    });
  }

  /** Member organisations by status and country, for the coordinator's network health (counts only). */
  async countMembersByStatusAndCountry(): Promise<MemberCountRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT status::text AS status, country_code, count(*)::int AS count
         FROM organisations
        WHERE kind <> $1
        GROUP BY status, country_code
        ORDER BY status, country_code NULLS LAST`,
      [OrganisationKind.Coordinator],
    )) as { status: string; country_code: string | null; count: number }[];
    return rows.map((row) => ({ status: row.status, countryCode: row.country_code, count: row.count }));
  }
}
