import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationStatus } from '../entities/application.entity';
import {
  ApplicationContact,
  ApplicationEndorsementRow,
  ApplicationEventKind,
  ApplicationEventRow,
  ApplicationFilter,
  ApplicationRow,
  NewApplication,
  NewApplicationEvent,
  NewEndorsement,
} from '../entities/application.rows';
import { NewAuditEvent } from '../entities/audit-event.rows';
import { DirectoryEntryInput } from '../entities/directory.rows';
import { QueuedMail } from '../entities/mail.rows';
import { OrganisationEntity, OrganisationKind } from '../entities/organisation.entity';
import { Constituency } from '../entities/subscription.rows';
import { UserRole } from '../entities/user.entity';
import { appendAuditEvents } from './audit.repository';
import { writeDirectoryEntry } from './directory.repository';
import { insertInvitedUser, NewInvitation } from './invitation.repository';
import { appendMails } from './mail.repository';
import { NewOrganisation } from './organisation.repository';
import { SqlExecutor } from './sql-executor';

/** The applicant's link token (digest) and until when it works; null clears it. */
export interface ApplicantTokenWrite {
  hash: string;
  expiresAt: Date;
}

/** What approval writes besides the application: the organisation, its directory entry, its first org-admin. */
export interface ApprovalWrite {
  organisation: NewOrganisation;
  directory: DirectoryEntryInput;
  admin: { email: string; displayName: string };
  invitation: NewInvitation;
  /** Audit events and mails that name what was created, in the same transaction. */
  effects(created: { organisationId: string; userId: string }): { audit: NewAuditEvent[]; mails: QueuedMail[] };
}

/** One change to an application, decided on the locked row; written with its history, audit events and mails. */
export interface ApplicationChange {
  status?: ApplicationStatus;
  /** A new applicant link (undefined keeps the current one, null revokes it). */
  applicantToken?: ApplicantTokenWrite | null;
  /** The application was decided (approved, rejected, withdrawn): its clock stops. */
  decided?: boolean;
  /** The clock waits for the applicant from now (`pause`), or runs again counting `days` more of waiting. */
  clock?: { pause: true } | { resumeAfterDays: number };
  events: NewApplicationEvent[];
  endorsement?: NewEndorsement;
  audit: NewAuditEvent[];
  mails: QueuedMail[];
  approval?: ApprovalWrite;
}

/** What `change` finds: the application, looked up by id or by the applicant's live link. */
export type ApplicationKey = { id: string } | { applicantTokenHash: string };

/**
 * Decides the change on the locked application and its endorsements; throws to refuse it (a `VigiaException` of the
 * caller's), answers null to change nothing.
 */
export type ApplicationDecision = (
  current: ApplicationRow,
  endorsements: ApplicationEndorsementRow[],
) => ApplicationChange | null;

interface ApplicationRecord {
  id: string;
  status: ApplicationStatus;
  team_name: string;
  kind: OrganisationKind;
  country_code: string;
  sector: string;
  mandate: string;
  website: string;
  constituency: Constituency;
  contacts: ApplicationContact[];
  applicant_name: string;
  applicant_email: string;
  locale: string;
  verified_at: Date | null;
  organisation_id: string | null;
  decided_at: Date | null;
  clock_paused_at: Date | null;
  paused_working_days: number;
  created_at: Date;
  updated_at: Date;
  endorsement_count: number;
}

const APPLICATION_COLUMNS = `a.id, a.status, a.team_name, a.kind, a.country_code, a.sector, a.mandate, a.website,
  a.constituency, a.contacts, a.applicant_name, a.applicant_email, a.locale, a.verified_at, a.organisation_id,
  a.decided_at, a.clock_paused_at, a.paused_working_days, a.created_at, a.updated_at,
  (SELECT count(*)::int FROM application_endorsements n WHERE n.application_id = a.id) AS endorsement_count`;

const toApplicationRow = (record: ApplicationRecord): ApplicationRow => ({
  id: record.id,
  status: record.status,
  teamName: record.team_name,
  kind: record.kind,
  countryCode: record.country_code,
  sector: record.sector,
  mandate: record.mandate,
  website: record.website,
  constituency: record.constituency,
  contacts: record.contacts,
  applicantName: record.applicant_name,
  applicantEmail: record.applicant_email,
  locale: record.locale,
  verifiedAt: record.verified_at,
  organisationId: record.organisation_id,
  decidedAt: record.decided_at,
  clockPausedAt: record.clock_paused_at,
  pausedWorkingDays: record.paused_working_days,
  createdAt: record.created_at,
  updatedAt: record.updated_at,
  endorsementCount: record.endorsement_count,
});

interface EndorsementRecord {
  id: string;
  organisation_id: string | null;
  organisation_name: string | null;
  endorser_user_id: string | null;
  external_endorser: string | null;
  comment: string;
  created_at: Date;
}

const toEndorsementRow = (record: EndorsementRecord): ApplicationEndorsementRow => ({
  id: record.id,
  organisationId: record.organisation_id,
  organisationName: record.organisation_name,
  endorserUserId: record.endorser_user_id,
  externalEndorser: record.external_endorser,
  comment: record.comment,
  createdAt: record.created_at,
});

async function readEndorsements(executor: SqlExecutor, applicationId: string): Promise<ApplicationEndorsementRow[]> {
  const records = (await executor.query(
    `SELECT n.id, n.organisation_id, o.name AS organisation_name, n.endorser_user_id, n.external_endorser, n.comment,
            n.created_at
       FROM application_endorsements n LEFT JOIN organisations o ON o.id = n.organisation_id
      WHERE n.application_id = $1
      ORDER BY n.created_at, n.id`,
    [applicationId],
  )) as EndorsementRecord[];
  return records.map(toEndorsementRow);
}

async function appendApplicationEvents(
  executor: SqlExecutor,
  applicationId: string,
  events: readonly NewApplicationEvent[],
): Promise<void> {
  for (const event of events) {
    await executor.query(
      `INSERT INTO application_events (application_id, kind, from_status, to_status, actor_user_id,
                                       actor_organisation_id, by_applicant, text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        applicationId,
        event.kind,
        event.fromStatus ?? null,
        event.toStatus ?? null,
        event.actorUserId ?? null,
        event.actorOrganisationId ?? null,
        event.byApplicant ?? false,
        event.text ?? null,
      ],
    );
  }
}

/** `applications`, `application_events`, `application_endorsements`: admission of new CSIRTs. */
@Injectable()
export class ApplicationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The coordinating organisation, under which events about applications without an organisation are audited. */
  async coordinatorOrganisationId(): Promise<string | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id FROM organisations WHERE kind = $1 ORDER BY created_at LIMIT 1`,
      [OrganisationKind.Coordinator],
    )) as { id: string }[];
    return row?.id ?? null;
  }

  /**
   * Stores a new application with its first history entry, the audit event `auditOf` makes of its id and its mails,
   * in one transaction; undefined when its form was already sent (the form nonce is taken).
   */
  async create(
    application: NewApplication,
    mails: readonly QueuedMail[],
    auditOf: (id: string) => NewAuditEvent,
  ): Promise<string | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [inserted] = (await manager.query(
        `INSERT INTO applications (team_name, kind, country_code, sector, mandate, website, constituency, contacts,
                                   applicant_name, applicant_email, locale, form_nonce, verification_token_hash,
                                   verification_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (form_nonce) DO NOTHING
         RETURNING id`,
        [
          application.teamName,
          application.kind,
          application.countryCode,
          application.sector,
          application.mandate,
          application.website,
          JSON.stringify(application.constituency),
          JSON.stringify(application.contacts),
          application.applicantName,
          application.applicantEmail,
          application.locale,
          application.formNonce,
          application.verificationTokenHash,
          application.verificationExpiresAt,
        ],
      )) as { id: string }[];
      if (!inserted) return undefined;
      await appendApplicationEvents(manager, inserted.id, [
        { kind: ApplicationEventKind.Submitted, toStatus: ApplicationStatus.Submitted, byApplicant: true },
      ]);
      await appendAuditEvents(manager, [auditOf(inserted.id)]);
      await appendMails(manager, mails);
      return inserted.id;
    });
  }

  /**
   * Spends a live (unused, unexpired) verification token: the application is verified, review may start, and the
   * applicant's link is set. `effects` makes the audit events and mails of the verified application. Null when no
   * live verification has this digest.
   */
  async verify(
    tokenHash: string,
    applicantToken: ApplicantTokenWrite,
    effects: (verified: ApplicationRow) => { audit: NewAuditEvent[]; mails: QueuedMail[] },
  ): Promise<ApplicationRow | null> {
    return this.dataSource.transaction(async (manager) => {
      const updated = (await manager.query(
        `UPDATE applications
            SET verified_at = now(), verification_token_hash = NULL, applicant_token_hash = $2,
                applicant_token_expires_at = $3, updated_at = now()
          WHERE verification_token_hash = $1 AND verification_expires_at > now() AND verified_at IS NULL
            AND status = 'submitted'
          RETURNING id`,
        [tokenHash, applicantToken.hash, applicantToken.expiresAt],
      )) as [{ id: string }[], number];
      const id = updated[0][0]?.id;
      if (!id) return null;
      await appendApplicationEvents(manager, id, [{ kind: ApplicationEventKind.Verified, byApplicant: true }]);
      const verified = await this.readOne(manager, id);
      const { audit, mails } = effects(verified!);
      await appendAuditEvents(manager, audit);
      await appendMails(manager, mails);
      return verified;
    });
  }

  /**
   * Changes one application: locks it (so endorsements, answers and decisions happen one at a time), lets `decide`
   * choose the change from it and its endorsements, then writes the change with its history, audit events and mails
   * in one transaction. Null when there is no such application (or no live applicant link with this digest);
   * the application unchanged when `decide` answered null.
   */
  async change(key: ApplicationKey, decide: ApplicationDecision): Promise<ApplicationRow | null> {
    return this.dataSource.transaction(async (manager) => {
      const [locked] = (await manager.query(
        'id' in key
          ? `SELECT id FROM applications WHERE id = $1 FOR UPDATE`
          : `SELECT id FROM applications
              WHERE applicant_token_hash = $1 AND applicant_token_expires_at > now() FOR UPDATE`,
        ['id' in key ? key.id : key.applicantTokenHash],
      )) as { id: string }[];
      if (!locked) return null;
      const current = (await this.readOne(manager, locked.id))!;
      const change = decide(current, await readEndorsements(manager, current.id));
      if (!change) return current;

      let organisationId: string | null = null;
      const audit = [...change.audit];
      const mails = [...change.mails];
      if (change.approval) {
        const created = await this.writeApproval(manager, change.approval);
        organisationId = created.organisationId;
        const effects = change.approval.effects(created);
        audit.push(...effects.audit);
        mails.push(...effects.mails);
      }
      const token = change.applicantToken;
      await manager.query(
        `UPDATE applications
            SET status = COALESCE($2::application_status, status),
                applicant_token_hash = CASE WHEN $3 THEN $4 ELSE applicant_token_hash END,
                applicant_token_expires_at = CASE WHEN $3 THEN $5::timestamptz ELSE applicant_token_expires_at END,
                decided_at = CASE WHEN $6 THEN now() ELSE decided_at END,
                organisation_id = COALESCE($7, organisation_id),
                clock_paused_at = CASE WHEN $8 THEN now() WHEN $9::int IS NOT NULL THEN NULL ELSE clock_paused_at END,
                paused_working_days = paused_working_days + COALESCE($9::int, 0),
                updated_at = now()
          WHERE id = $1`,
        [
          current.id,
          change.status ?? null,
          token !== undefined,
          token?.hash ?? null,
          token?.expiresAt ?? null,
          change.decided ?? false,
          organisationId,
          change.clock !== undefined && 'pause' in change.clock,
          change.clock !== undefined && 'resumeAfterDays' in change.clock ? change.clock.resumeAfterDays : null,
        ],
      );
      if (change.endorsement) {
        const endorsement = change.endorsement;
        await manager.query(
          `INSERT INTO application_endorsements (application_id, organisation_id, endorser_user_id, external_endorser,
                                                 comment)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            current.id,
            endorsement.organisationId,
            endorsement.endorserUserId,
            endorsement.externalEndorser,
            endorsement.comment,
          ],
        );
      }
      await appendApplicationEvents(manager, current.id, change.events);
      await appendAuditEvents(manager, audit);
      await appendMails(manager, mails);
      return this.readOne(manager, current.id);
    });
  }

  /** The new organisation (active), its directory entry and its first org-admin, invited. */
  private async writeApproval(
    manager: EntityManager,
    approval: ApprovalWrite,
  ): Promise<{ organisationId: string; userId: string }> {
    const organisation = await manager.save(manager.create(OrganisationEntity, approval.organisation));
    await writeDirectoryEntry(manager, organisation.id, approval.directory);
    const { user } = await insertInvitedUser(
      manager,
      {
        organisationId: organisation.id,
        email: approval.admin.email,
        displayName: approval.admin.displayName,
        role: UserRole.OrgAdmin,
      },
      approval.invitation,
    );
    return { organisationId: organisation.id, userId: user.id };
  }

  /** Whether approval could create the organisation and its admin: which of the short name and e-mail are taken. */
  async takenForApproval(shortName: string, email: string): Promise<{ shortName: boolean; email: boolean }> {
    const [row] = (await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM organisations WHERE short_name = $1) AS short_name,
              EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2)) AS email`,
      [shortName, email],
    )) as { short_name: boolean; email: boolean }[];
    return { shortName: row!.short_name, email: row!.email };
  }

  async findById(id: string): Promise<ApplicationRow | null> {
    return this.readOne(this.dataSource.manager, id);
  }

  /** The application a live applicant link (digest) opens. */
  async findByApplicantToken(tokenHash: string): Promise<ApplicationRow | null> {
    const [record] = (await this.dataSource.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications a
        WHERE a.applicant_token_hash = $1 AND a.applicant_token_expires_at > now()`,
      [tokenHash],
    )) as ApplicationRecord[];
    return record ? toApplicationRow(record) : null;
  }

  /** Applications, oldest first (the longest waiting on top), with their total. */
  async list(filter: ApplicationFilter): Promise<{ items: ApplicationRow[]; total: number }> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (filter.status !== undefined) add((p) => `a.status = ${p}::application_status`, filter.status);
    if (filter.statuses !== undefined) add((p) => `a.status = ANY(${p}::application_status[])`, filter.statuses);
    if (filter.countryCode !== undefined) add((p) => `a.country_code = ${p}`, filter.countryCode);
    if (filter.verified !== undefined) {
      conditions.push(filter.verified ? 'a.verified_at IS NOT NULL' : 'a.verified_at IS NULL');
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM applications a ${where}`,
      parameters,
    )) as [{ total: number }];
    const records = (await this.dataSource.query(
      `SELECT ${APPLICATION_COLUMNS} FROM applications a ${where}
        ORDER BY a.created_at, a.id
        LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, filter.limit, filter.offset],
    )) as ApplicationRecord[];
    return { items: records.map(toApplicationRow), total };
  }

  /** The application's history, oldest first. */
  async events(applicationId: string): Promise<ApplicationEventRow[]> {
    const records = (await this.dataSource.query(
      `SELECT id::text AS id, occurred_at AS "occurredAt", kind, from_status AS "fromStatus", to_status AS "toStatus",
              actor_user_id AS "actorUserId", actor_organisation_id AS "actorOrganisationId",
              by_applicant AS "byApplicant", text
         FROM application_events WHERE application_id = $1 ORDER BY id`,
      [applicationId],
    )) as ApplicationEventRow[];
    return records;
  }

  async endorsements(applicationId: string): Promise<ApplicationEndorsementRow[]> {
    return readEndorsements(this.dataSource, applicationId);
  }

  private async readOne(executor: SqlExecutor, id: string): Promise<ApplicationRow | null> {
    const [record] = (await executor.query(`SELECT ${APPLICATION_COLUMNS} FROM applications a WHERE a.id = $1`, [
      id,
    ])) as ApplicationRecord[];
    return record ? toApplicationRow(record) : null;
  }
}
