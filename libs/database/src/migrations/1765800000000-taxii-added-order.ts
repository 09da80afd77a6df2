import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TAXII pages are keyed on (date_added, added_seq): `date_added` is the writing transaction's start, shared by every
 * version it wrote, so a sequence number breaks ties and gives each version a place that never changes. Latest and
 * superseded versions get a partial index each (a version enters one when written, the other when superseded: as many
 * index entries as one index over all rows), replacing the unused (date_added, type) index. Default pages read the
 * first alone; pages of every version merge both.
 */
export class TaxiiAddedOrder1765800000000 implements MigrationInterface {
  name = 'TaxiiAddedOrder1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stix_objects" ADD "added_seq" bigint GENERATED ALWAYS AS IDENTITY`);
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_date_added"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_added_latest" ON "stix_objects" ("date_added", "added_seq") WHERE is_latest`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_added_superseded" ON "stix_objects" ("date_added", "added_seq")
       WHERE NOT is_latest`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_added_superseded"`);
    await queryRunner.query(`DROP INDEX "IDX_stix_objects_added_latest"`);
    await queryRunner.query(`ALTER TABLE "stix_objects" DROP COLUMN "added_seq"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_date_added" ON "stix_objects" ("date_added", "type") WHERE is_latest`,
    );
  }
}
