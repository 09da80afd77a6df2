import { Injectable } from '@nestjs/common';
import { CONSTITUENCY_WARNING_MAIL_CATEGORY, DirectoryRepository, QueuedMail } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { Mailer } from '@vigia/mail';
import { WarningEnvelope } from '@vigia/warning-stream';
import { v5 as uuidV5 } from 'uuid';
import { CONSTITUENCY_WARNING_MAIL } from './constituency-warning.mail';

/** Namespace of constituency warning mail ids: one per (warning, contact), so a retried fan-out mails nobody twice. */
const MAIL_ID_NAMESPACE = '5d0f3c8e-2a7b-4f61-9e0c-81b4d6a3f2c7';

/** Levels whose values may go in a mail that is not encrypted. */
const CLEAR_TEXT_LEVELS: readonly string[] = [TlpLevel.Clear, TlpLevel.Green];

/**
 * The mails of constituency warnings: one per 24/7 contact of the recipient in the directory, in the contact's
 * language, encrypted to its OpenPGP key when it registered one (libs/mail does that when sending).
 */
@Injectable()
export class ConstituencyMails {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly mailer: Mailer,
  ) {}

  async compose(warnings: readonly WarningEnvelope[]): Promise<QueuedMail[]> {
    if (warnings.length === 0) return [];
    const contactsOf = await this.directory.findContacts([...new Set(warnings.map((w) => w.organisation_id))]);
    const keys = await this.directory.findPgpKeys(
      [...contactsOf.values()].flat().flatMap((contact) => (contact.pgpFingerprint ? [contact.id] : [])),
    );
    return warnings.flatMap((warning) =>
      (contactsOf.get(warning.organisation_id) ?? []).map((contact) => {
        const pgpPublicKey = keys.get(contact.id) ?? null;
        const valuesMayTravel = pgpPublicKey !== null || CLEAR_TEXT_LEVELS.includes(warning.report.tlp);
        return this.mailer.compose(
          CONSTITUENCY_WARNING_MAIL,
          { warning, values: valuesMayTravel ? warning.indicators.map((indicator) => indicator.value) : null },
          {
            id: uuidV5(`${warning.id}/${contact.email.toLowerCase()}`, MAIL_ID_NAMESPACE),
            to: contact.email,
            locale: contact.languages.join(','),
            pgpPublicKey,
            category: CONSTITUENCY_WARNING_MAIL_CATEGORY,
            organisationId: warning.organisation_id,
          },
        );
      }),
    );
  }
}
