import { loadConfig } from '@vigia/config';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { isSealed, openSecret, sealSecret } from '../secret-sealer';

interface EndpointSecrets {
  id: string;
  secret: string;
  previous_secret: string | null;
}

/**
 * Webhook signing secrets are stored sealed (envelope encryption under DATA_ENCRYPTION_KEY, libs/database
 * secret-sealer.ts): the ones stored in clear before are sealed here, with the key the apps will run with.
 */
export class SealedWebhookSecrets1766000000000 implements MigrationInterface {
  name = 'SealedWebhookSecrets1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT id, secret, previous_secret FROM webhook_endpoints`,
    )) as EndpointSecrets[];
    const clear = rows.filter(
      (row) => !isSealed(row.secret) || (row.previous_secret && !isSealed(row.previous_secret)),
    );
    if (clear.length === 0) return;
    const [key] = loadConfig().dataEncryptionKeys;
    const seal = (text: string | null) => (text === null || isSealed(text) ? text : sealSecret(text, key as Buffer));
    for (const row of clear) {
      await queryRunner.query(`UPDATE webhook_endpoints SET secret = $2, previous_secret = $3 WHERE id = $1`, [
        row.id,
        seal(row.secret),
        seal(row.previous_secret),
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT id, secret, previous_secret FROM webhook_endpoints`,
    )) as EndpointSecrets[];
    const keys = loadConfig().dataEncryptionKeys;
    const open = (text: string | null) => (text === null || !isSealed(text) ? text : openSecret(text, keys));
    for (const row of rows) {
      await queryRunner.query(`UPDATE webhook_endpoints SET secret = $2, previous_secret = $3 WHERE id = $1`, [
        row.id,
        open(row.secret),
        open(row.previous_secret),
      ]);
    }
  }
}
