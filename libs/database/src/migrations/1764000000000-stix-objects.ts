import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The STIX store the worker fills and TAXII, search and fan-out read. Every version of every object is one row of
 * `stix_objects`, keyed by (STIX id, modified); `is_latest` marks the current one and a partial unique index keeps it
 * unique, which is also what concurrent workers lock on. `indicator_correlations` counts, per indicator and
 * organisation, the reports and the time window they saw it in.
 *
 * These tables are derived from incident reports and written in bulk, so they carry no foreign keys (a per-row
 * check would cost a large share of the write rate); reports and organisations are never deleted while they are
 * referenced here. STIX ids use the "C" collation: byte order, cheap comparisons, and the order workers lock in.
 */
export class StixObjects1764000000000 implements MigrationInterface {
  name = 'StixObjects1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stix_objects" (
        "stix_id" text COLLATE "C" NOT NULL,
        "modified" TIMESTAMP WITH TIME ZONE NOT NULL,
        "type" text NOT NULL,
        "created" TIMESTAMP WITH TIME ZONE NOT NULL,
        "date_added" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "is_latest" boolean NOT NULL DEFAULT true,
        "object" jsonb NOT NULL,
        "tlp" text,
        "tlp_recipients" uuid array NOT NULL DEFAULT '{}',
        "created_by_org" uuid,
        "report_id" uuid,
        "indicator_type" text,
        "indicator_value" text,
        "is_cidr" boolean NOT NULL DEFAULT false,
        "confidence" smallint,
        "valid_from" TIMESTAMP WITH TIME ZONE,
        "valid_until" TIMESTAMP WITH TIME ZONE,
        "sighting_of_ref" text COLLATE "C",
        "org_count" integer,
        "first_seen" TIMESTAMP WITH TIME ZONE,
        "last_seen" TIMESTAMP WITH TIME ZONE,
        "suppressed" boolean NOT NULL DEFAULT false,
        "suppressed_by" text,
        CONSTRAINT "PK_stix_objects" PRIMARY KEY ("stix_id", "modified")
      )`);
    // The current version of an object: fan-out and TAXII look objects up by id here.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_stix_objects_latest" ON "stix_objects" ("stix_id") WHERE is_latest`,
    );
    // TAXII added_after over the latest versions (TAXII's default), with or without match[type] (checked inside the
    // index). Partial, so a version being superseded (a non-HOT update) adds no entry at an old, random place:
    // only new versions, appended at the end.
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_date_added" ON "stix_objects" ("date_added", "type") WHERE is_latest`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_stix_objects_sighting_of" ON "stix_objects" ("sighting_of_ref")
        WHERE is_latest AND sighting_of_ref IS NOT NULL`,
    );

    // Room left on each page lets counting another report be a HOT update, which leaves the primary key untouched.
    await queryRunner.query(`
      CREATE TABLE "indicator_correlations" (
        "indicator_id" text COLLATE "C" NOT NULL,
        "organisation_id" uuid NOT NULL,
        "first_seen" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen" TIMESTAMP WITH TIME ZONE NOT NULL,
        "report_count" integer NOT NULL,
        "last_report_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_indicator_correlations" PRIMARY KEY ("indicator_id", "organisation_id")
      ) WITH (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "indicator_correlations"`);
    await queryRunner.query(`DROP TABLE "stix_objects"`);
  }
}
