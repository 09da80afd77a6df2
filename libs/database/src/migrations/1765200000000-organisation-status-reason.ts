import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why and when an organisation's status last changed (a suspension or a reinstatement needs a reason), so the
 * coordinator and the member see it on the organisation itself; the audit log keeps every change. Suspension
 * dead-letters the member's open webhook deliveries, found by a partial index.
 */
export class OrganisationStatusReason1765200000000 implements MigrationInterface {
  name = 'OrganisationStatusReason1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "organisations"
        ADD COLUMN "status_reason" text,
        ADD COLUMN "status_changed_at" TIMESTAMP WITH TIME ZONE`);
    // Suspending a member dead-letters what is still to be sent to it: found by this small partial index.
    await queryRunner.query(`
      CREATE INDEX "IDX_webhook_deliveries_open_by_organisation" ON "webhook_deliveries" ("organisation_id")
       WHERE status IN ('pending', 'failed')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_webhook_deliveries_open_by_organisation"`);
    await queryRunner.query(`ALTER TABLE "organisations" DROP COLUMN "status_changed_at", DROP COLUMN "status_reason"`);
  }
}
