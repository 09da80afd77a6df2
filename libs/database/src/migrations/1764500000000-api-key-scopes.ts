import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys now carry scopes that every route checks: keys made before scopes existed keep what they could do. */
export class ApiKeyScopes1764500000000 implements MigrationInterface {
  name = 'ApiKeyScopes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "api_keys"
         SET scopes = ARRAY['reports:write', 'indicators:read', 'subscriptions:manage', 'stream:read', 'taxii:read',
                            'taxii:write', 'directory:read']
       WHERE cardinality(scopes) = 0`);
  }

  async down(): Promise<void> {
    // Scopes given here cannot be told from scopes given later; they stay.
  }
}
