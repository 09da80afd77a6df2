import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vigia's own STIX reports, newest first (a member's MISP feed lists those it may see): a partial index of one row per
 * incident report, so the feed never scans the objects table.
 */
export class VigiaReportObjectsIndex1765650000000 implements MigrationInterface {
  name = 'VigiaReportObjectsIndex1765650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_vigia_reports" ON "stix_objects" ("modified" DESC, "stix_id")
        WHERE is_latest AND type = 'report' AND NOT imported`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_vigia_reports"`);
  }
}
