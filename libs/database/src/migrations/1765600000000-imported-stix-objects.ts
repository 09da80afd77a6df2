import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every object of a member's STIX bundle is kept as its own versioned object beside what Vigia builds: `imported`
 * marks the producer's objects (kept as sent, ids and versions included); `value_matchable` is false on indicators
 * whose pattern cannot be reduced to values (AND, MATCHES, qualifiers, Sigma, YARA, Snort, Suricata...), which only
 * report-level filters can match. Constant defaults: no table rewrite.
 */
export class ImportedStixObjects1765600000000 implements MigrationInterface {
  name = 'ImportedStixObjects1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stix_objects" ADD "imported" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "stix_objects" ADD "value_matchable" boolean NOT NULL DEFAULT true`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stix_objects" DROP COLUMN "value_matchable"`);
    await queryRunner.query(`ALTER TABLE "stix_objects" DROP COLUMN "imported"`);
  }
}
