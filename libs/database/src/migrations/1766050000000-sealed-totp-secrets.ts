import { loadConfig } from '@vigia/config';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { isSealed, openSecret, sealSecret } from '../secret-sealer';

/** TOTP secrets are stored sealed like webhook secrets (1766000000000); those stored in clear before are sealed here. */
export class SealedTotpSecrets1766050000000 implements MigrationInterface {
  name = 'SealedTotpSecrets1766050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(`SELECT user_id, secret FROM user_totp`)) as {
      user_id: string;
      secret: string;
    }[];
    const clear = rows.filter((row) => !isSealed(row.secret));
    if (clear.length === 0) return;
    const [key] = loadConfig().dataEncryptionKeys;
    for (const row of clear) {
      await queryRunner.query(`UPDATE user_totp SET secret = $2 WHERE user_id = $1`, [
        row.user_id,
        sealSecret(row.secret, key as Buffer),
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(`SELECT user_id, secret FROM user_totp`)) as {
      user_id: string;
      secret: string;
    }[];
    const keys = loadConfig().dataEncryptionKeys;
    for (const row of rows.filter((stored) => isSealed(stored.secret))) {
      await queryRunner.query(`UPDATE user_totp SET secret = $2 WHERE user_id = $1`, [
        row.user_id,
        openSecret(row.secret, keys),
      ]);
    }
  }
}
