import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TAXII pages are keyed on (date_added, added_seq): `date_added` is the writing transaction's start, shared by every
 * version it wrote, so a sequence number breaks ties and gives each version a place that never changes. One index on
 * both serves every version filter (`last` is a filter on it), replacing the unused (date_added, type) index.
 */
export class TaxiiAddedOrder1765800000000 implements MigrationInterface {
  name = 'TaxiiAddedOrder1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stix_objects" ADD "added_seq" bigint GENERATED ALWAYS AS IDENTITY`);
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_date_added"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_added_order" ON "stix_objects" ("date_added", "added_seq")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_added_order"`);
    await queryRunner.query(`ALTER TABLE "stix_objects" DROP COLUMN "added_seq"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_date_added" ON "stix_objects" ("date_added", "type") WHERE is_latest`,
    );
  }
}
