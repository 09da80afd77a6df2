import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import {
  ContactConfirmation,
  NewContactConfirmation,
  ReachabilityCheckSummary,
  ReachabilityContact,
  UnconfirmedContact,
} from '../entities/directory.rows';
import { QueuedMail } from '../entities/mail.rows';
import { appendAuditEvents } from './audit.repository';
import { appendMails } from './mail.repository';

/** What a check sends, made once its contacts are known: the confirmations to record, their mails, the audit event. */
export interface ReachabilityCheckPlan {
  confirmations: NewContactConfirmation[];
  mails: QueuedMail[];
  audit: NewAuditEvent;
}

/**
 * Reachability checks of the 24/7 directory: `directory_reachability_checks` and `directory_contact_confirmations`
 * (whose confirmations set `directory_contacts.last_confirmed_at`).
 */
@Injectable()
export class DirectoryReachabilityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Starts a check of every 24/7 contact of every active organisation, answering by `respondBy`: `plan` makes the
   * confirmations, mails and audit event from the check's id and its contacts; all are written in one transaction.
   * Answers the check's id and the mails, to dispatch after the commit.
   */
  async startCheck(
    startedBy: string | null,
    respondBy: Date,
    plan: (checkId: string, contacts: ReachabilityContact[]) => ReachabilityCheckPlan,
  ): Promise<{ checkId: string; mails: QueuedMail[] }> {
    return this.dataSource.transaction(async (manager) => {
      const [check] = (await manager.query(
        `INSERT INTO directory_reachability_checks (started_by, respond_by) VALUES ($1, $2) RETURNING id`,
        [startedBy, respondBy],
      )) as { id: string }[];
      const contacts = (await manager.query(
        `SELECT c.id AS contact_id, c.organisation_id, o.name AS organisation_name, c.name, c.email, c.languages,
                c.pgp_public_key
           FROM directory_contacts c JOIN organisations o ON o.id = c.organisation_id AND o.status = 'active'
          ORDER BY o.name, c.organisation_id, c.position`,
      )) as {
        contact_id: string;
        organisation_id: string;
        organisation_name: string;
        name: string;
        email: string;
        languages: string[];
        pgp_public_key: string | null;
      }[];
      const planned = plan(
        check!.id,
        contacts.map((row) => ({
          contactId: row.contact_id,
          organisationId: row.organisation_id,
          organisationName: row.organisation_name,
          name: row.name,
          email: row.email,
          languages: row.languages,
          pgpPublicKey: row.pgp_public_key,
        })),
      );
      if (planned.confirmations.length > 0) {
        await manager.query(
          `INSERT INTO directory_contact_confirmations (check_id, contact_id, organisation_id, token_hash, expires_at)
           SELECT $1, u.contact_id, u.organisation_id, u.token_hash, $5
             FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS u(contact_id, organisation_id, token_hash)`,
          [
            check!.id,
            planned.confirmations.map((confirmation) => confirmation.contactId),
            planned.confirmations.map((confirmation) => confirmation.organisationId),
            planned.confirmations.map((confirmation) => confirmation.tokenHash),
            respondBy,
          ],
        );
      }
      await appendMails(manager, planned.mails);
      await appendAuditEvents(manager, [planned.audit]);
      return { checkId: check!.id, mails: planned.mails };
    });
  }

  /**
   * Records the confirmation whose link token hashes to `tokenHash`, if it has not expired: the contact's
   * `last_confirmed_at` and the audit event `auditOf` makes, in one transaction. A link used again answers the first
   * confirmation and changes nothing; undefined when no live link has this token.
   */
  async confirm(
    tokenHash: string,
    auditOf: (confirmation: ContactConfirmation) => NewAuditEvent,
  ): Promise<ContactConfirmation | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE directory_contact_confirmations SET confirmed_at = now()
          WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > now()
        RETURNING check_id, contact_id, organisation_id, confirmed_at`,
        [tokenHash],
      )) as [{ check_id: string; contact_id: string; organisation_id: string; confirmed_at: Date }[], number];
      const confirmed = rows[0];
      if (confirmed) {
        await manager.query(`UPDATE directory_contacts SET last_confirmed_at = $2 WHERE id = $1`, [
          confirmed.contact_id,
          confirmed.confirmed_at,
        ]);
        const confirmation: ContactConfirmation = {
          checkId: confirmed.check_id,
          contactId: confirmed.contact_id,
          organisationId: confirmed.organisation_id,
          confirmedAt: confirmed.confirmed_at,
          firstTime: true,
        };
        await appendAuditEvents(manager, [auditOf(confirmation)]);
        return confirmation;
      }
      const [earlier] = (await manager.query(
        `SELECT check_id, contact_id, organisation_id, confirmed_at FROM directory_contact_confirmations
          WHERE token_hash = $1 AND confirmed_at IS NOT NULL`,
        [tokenHash],
      )) as { check_id: string; contact_id: string; organisation_id: string; confirmed_at: Date }[];
      return earlier
        ? {
            checkId: earlier.check_id,
            contactId: earlier.contact_id,
            organisationId: earlier.organisation_id,
            confirmedAt: earlier.confirmed_at,
            firstTime: false,
          }
        : undefined;
    });
  }

  /** How many were asked and confirmed, and who has not confirmed; undefined when there is no such check. */
  async summary(checkId: string): Promise<ReachabilityCheckSummary | undefined> {
    const [check] = (await this.dataSource.query(
      `SELECT k.id, k.started_by, k.started_at, k.respond_by, count(f.id)::int AS asked,
              count(f.confirmed_at)::int AS confirmed
         FROM directory_reachability_checks k LEFT JOIN directory_contact_confirmations f ON f.check_id = k.id
        WHERE k.id = $1
        GROUP BY k.id`,
      [checkId],
    )) as {
      id: string;
      started_by: string | null;
      started_at: Date;
      respond_by: Date;
      asked: number;
      confirmed: number;
    }[];
    if (!check) return undefined;
    const unconfirmed = (await this.dataSource.query(
      `SELECT f.contact_id, f.organisation_id, o.name AS organisation_name, c.name, c.email
         FROM directory_contact_confirmations f
         JOIN directory_contacts c ON c.id = f.contact_id
         JOIN organisations o ON o.id = f.organisation_id
        WHERE f.check_id = $1 AND f.confirmed_at IS NULL
        ORDER BY o.name, c.position`,
      [checkId],
    )) as { contact_id: string; organisation_id: string; organisation_name: string; name: string; email: string }[];
    return {
      id: check.id,
      startedBy: check.started_by,
      startedAt: check.started_at,
      respondBy: check.respond_by,
      asked: check.asked,
      confirmed: check.confirmed,
      unconfirmed: unconfirmed.map((row): UnconfirmedContact => ({
        contactId: row.contact_id,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        name: row.name,
        email: row.email,
      })),
    };
  }
}
