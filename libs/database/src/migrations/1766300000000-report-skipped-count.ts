import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report lists at most 100 skipped items (`skipped`) and counts them all (`skipped_count`): a feed of 10,000 bad
 * rows keeps a small row and a small status answer. Reports stored before ended their list with a line
 * "N more items skipped (not listed)"; its N goes into the count and the line goes.
 */
export class ReportSkippedCount1766300000000 implements MigrationInterface {
  name = 'ReportSkippedCount1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident_reports" ADD COLUMN "skipped_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      UPDATE incident_reports
         SET skipped_count = jsonb_array_length(skipped) - 1
               + substring(skipped->-1->>'reason' FROM '^(\\d+) more items skipped')::int,
             skipped = skipped - (jsonb_array_length(skipped) - 1)
       WHERE skipped->-1->>'path' = '' AND skipped->-1->>'reason' ~ '^\\d+ more items skipped \\(not listed\\)$'`);
    await queryRunner.query(`
      UPDATE incident_reports SET skipped_count = jsonb_array_length(skipped)
       WHERE skipped_count = 0 AND skipped <> '[]'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident_reports" DROP COLUMN "skipped_count"`);
  }
}
