import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reachability checks of the 24/7 directory: the coordinator asks every contact to confirm by a one-time link (only
 * the SHA-256 of its token is kept); the directory shows who confirmed and flags who did not in time.
 */
export class DirectoryReachability1765150000000 implements MigrationInterface {
  name = 'DirectoryReachability1765150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "directory_reachability_checks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "started_by" uuid,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "respond_by" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_directory_reachability_checks" PRIMARY KEY ("id"),
        CONSTRAINT "FK_directory_reachability_checks_user" FOREIGN KEY ("started_by") REFERENCES "users"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "directory_contact_confirmations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "check_id" uuid NOT NULL,
        "contact_id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_directory_contact_confirmations" PRIMARY KEY ("id"),
        CONSTRAINT "FK_directory_contact_confirmations_check" FOREIGN KEY ("check_id") REFERENCES "directory_reachability_checks"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_directory_contact_confirmations_contact" FOREIGN KEY ("contact_id") REFERENCES "directory_contacts"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_directory_contact_confirmations_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_directory_contact_confirmations_token_hash" ON "directory_contact_confirmations" ("token_hash")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_directory_contact_confirmations_check_contact" ON "directory_contact_confirmations" ("check_id", "contact_id")`,
    );
    // The latest request of each contact, which the directory shows.
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_contact_confirmations_contact" ON "directory_contact_confirmations" ("contact_id", "requested_at" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "directory_contact_confirmations"`);
    await queryRunner.query(`DROP TABLE "directory_reachability_checks"`);
  }
}
