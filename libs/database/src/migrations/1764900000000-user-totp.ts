import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A second factor for people: one TOTP secret per user (live once confirmed) with the last time step accepted, so a
 * code works once; and one-time recovery codes, kept as SHA-256.
 */
export class UserTotp1764900000000 implements MigrationInterface {
  name = 'UserTotp1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "user_totp" (
        "user_id" uuid NOT NULL,
        "secret" text NOT NULL,
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        "last_used_step" bigint NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_user_totp" PRIMARY KEY ("user_id"),
        CONSTRAINT "FK_user_totp_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "user_recovery_codes" (
        "code_hash" character(64) NOT NULL,
        "user_id" uuid NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_user_recovery_codes" PRIMARY KEY ("code_hash"),
        CONSTRAINT "FK_user_recovery_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_user_recovery_codes_user" ON "user_recovery_codes" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_recovery_codes"`);
    await queryRunner.query(`DROP TABLE "user_totp"`);
  }
}
