import { loadConfig } from '@vigia/config';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { isSealed, openSecret, sealSecret } from '../secret-sealer';

/**
 * Mail bodies (one-time links, indicator values) are stored sealed like webhook and TOTP secrets; those stored in
 * clear before, queued or kept in the mail log, are sealed here.
 */
export class SealedMailBodies1766700000000 implements MigrationInterface {
  name = 'SealedMailBodies1766700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(`SELECT id, body FROM mails WHERE body IS NOT NULL`)) as {
      id: string;
      body: string;
    }[];
    const clear = rows.filter((row) => !isSealed(row.body));
    if (clear.length === 0) return;
    const [key] = loadConfig().dataEncryptionKeys;
    for (const row of clear) {
      await queryRunner.query(`UPDATE mails SET body = $2 WHERE id = $1`, [
        row.id,
        sealSecret(row.body, key as Buffer),
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(`SELECT id, body FROM mails WHERE body IS NOT NULL`)) as {
      id: string;
      body: string;
    }[];
    const keys = loadConfig().dataEncryptionKeys;
    for (const row of rows.filter((stored) => isSealed(stored.body))) {
      await queryRunner.query(`UPDATE mails SET body = $2 WHERE id = $1`, [row.id, openSecret(row.body, keys)]);
    }
  }
}
