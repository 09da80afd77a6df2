import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Objects per audience, statements per reporter (docs/sharing.md).
 * - `stix_objects` rows belong to an audience (`audience_key`: `network`, or one per restricted owner, level and
 *   recipient set, whose owner is `audience_owner` and recipients `tlp_recipients`); an SCO may be stored once per
 *   audience, so the key and the latest-version index include the audience.
 * - `indicator_correlations` rows are each organisation's statement about an audience's object: the value, scope,
 *   confidence and note besides the counts; indexed by value, so every audience's statements on a value are found.
 * - Subscriptions say whether they accept TLP:RED.
 * The STIX store is derived data: it is emptied and rebuilt from the reports through the outbox, without warning
 * anyone again (`rebuild`).
 */
/** Normalised reports are normalised again through the outbox, in the order they arrived, with no second warning. */
async function renormaliseReports(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    INSERT INTO "outbox_jobs" (queue_name, job_name, job_id, payload, created_at)
    SELECT 'reports', 'normalise-report', id::text, jsonb_build_object('reportId', id, 'rebuild', true), received_at
      FROM "incident_reports" WHERE status = 'normalised'
    ON CONFLICT (queue_name, job_id) DO UPDATE
      SET payload = EXCLUDED.payload, created_at = EXCLUDED.created_at, relayed_at = NULL`);
  await queryRunner.query(
    `UPDATE "incident_reports" SET status = 'received', normalised_at = NULL WHERE status = 'normalised'`,
  );
}

export class SharingAudiences1764400000000 implements MigrationInterface {
  name = 'SharingAudiences1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE "stix_objects", "indicator_correlations"`);
    await queryRunner.query(`
      ALTER TABLE "stix_objects"
        ADD COLUMN "audience_key" text COLLATE "C" NOT NULL DEFAULT 'network',
        ADD COLUMN "audience_owner" uuid,
        DROP CONSTRAINT "PK_stix_objects",
        ADD CONSTRAINT "PK_stix_objects" PRIMARY KEY ("stix_id", "audience_key", "modified")`);
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_latest"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_stix_objects_latest" ON "stix_objects" ("stix_id", "audience_key") WHERE is_latest`,
    );
    await queryRunner.query(`
      ALTER TABLE "indicator_correlations"
        ADD COLUMN "indicator_type" text NOT NULL,
        ADD COLUMN "indicator_value" text NOT NULL,
        ADD COLUMN "tlp" text NOT NULL,
        ADD COLUMN "audience_key" text COLLATE "C" NOT NULL,
        ADD COLUMN "audience_owner" uuid,
        ADD COLUMN "tlp_recipients" uuid array NOT NULL DEFAULT '{}',
        ADD COLUMN "confidence" smallint,
        ADD COLUMN "note" text`);
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_correlations_value" ON "indicator_correlations" ("indicator_value")`,
    );
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD COLUMN "accepts_red" boolean NOT NULL DEFAULT false`);
    await renormaliseReports(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE "stix_objects", "indicator_correlations"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "accepts_red"`);
    await queryRunner.query(`DROP INDEX "IDX_indicator_correlations_value"`);
    await queryRunner.query(`
      ALTER TABLE "indicator_correlations"
        DROP COLUMN "indicator_type", DROP COLUMN "indicator_value", DROP COLUMN "tlp", DROP COLUMN "audience_key",
        DROP COLUMN "audience_owner", DROP COLUMN "tlp_recipients", DROP COLUMN "confidence", DROP COLUMN "note"`);
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_latest"`);
    await queryRunner.query(`
      ALTER TABLE "stix_objects"
        DROP CONSTRAINT "PK_stix_objects",
        DROP COLUMN "audience_key",
        DROP COLUMN "audience_owner",
        ADD CONSTRAINT "PK_stix_objects" PRIMARY KEY ("stix_id", "modified")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_stix_objects_latest" ON "stix_objects" ("stix_id") WHERE is_latest`,
    );
    await renormaliseReports(queryRunner);
  }
}
