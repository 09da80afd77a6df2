import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a member wants to be warned about reports on its own constituency (directory networks, AS numbers, domains)
 * without a subscription. No row means the defaults: on, every severity, every channel, no TLP:RED. A suspension
 * fails the member's warning mails still queued, found by a partial index.
 */
export class ConstituencyWarningSettings1765250000000 implements MigrationInterface {
  name = 'ConstituencyWarningSettings1765250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "constituency_warning_settings" (
        "organisation_id" uuid NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "min_severity" text,
        "stream" boolean NOT NULL DEFAULT true,
        "email" boolean NOT NULL DEFAULT true,
        "webhook" boolean NOT NULL DEFAULT true,
        "accepts_red" boolean NOT NULL DEFAULT false,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_constituency_warning_settings" PRIMARY KEY ("organisation_id"),
        CONSTRAINT "FK_constituency_warning_settings_organisation" FOREIGN KEY ("organisation_id")
          REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_constituency_warning_settings_severity"
          CHECK ("min_severity" IS NULL OR "min_severity" IN ('low', 'medium', 'high', 'critical'))
      )`);
    // A suspension fails the organisation's warning mails still queued: found by this small partial index.
    await queryRunner.query(
      `CREATE INDEX "IDX_mails_queued_by_organisation" ON "mails" ("organisation_id") WHERE status = 'queued'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_mails_queued_by_organisation"`);
    await queryRunner.query(`DROP TABLE "constituency_warning_settings"`);
  }
}
