import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analysts' read path over indicators (docs/indicators.md).
 * - `indicator_search`: one row per indicator (or vulnerability) object, that is per (value, audience), derived from
 *   `stix_objects`, `indicator_correlations`, the reports that wrote it and the members' sightings and feedback. It is
 *   filled after normalisation commits (job `refresh-indicators`), so the normalisation write path gains no index.
 *   It carries the audience's scope, so every read filters it with libs/sharing `maySeeSql`.
 * - IP filters: `address` (inet) with a GiST index (`inet_ops`: `<<=` and `>>=`); domain suffixes: the host reversed
 *   (`host_reversed`, byte order), so "the domain and its subdomains" is an index range; free text: a tsvector.
 * - Keyset pages: one index per sort order, each ending with the id.
 * - `subscriptions.min_score`: warn only about indicators at least this score.
 * Indicators already stored get their rows from one run of the daily job, queued here through the outbox.
 */
export class IndicatorSearch1765700000000 implements MigrationInterface {
  name = 'IndicatorSearch1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "indicator_search" (
        "stix_id" text COLLATE "C" NOT NULL,
        "audience_key" text COLLATE "C" NOT NULL,
        "object_type" text NOT NULL,
        "indicator_type" text NOT NULL,
        "indicator_value" text NOT NULL,
        "address" inet,
        "host" text,
        "host_reversed" text COLLATE "C",
        "tlp" text NOT NULL,
        "audience_owner" uuid,
        "tlp_recipients" uuid array NOT NULL DEFAULT '{}',
        "created_by_org" uuid,
        "reporter_ids" uuid array NOT NULL DEFAULT '{}',
        "report_ids" uuid array NOT NULL DEFAULT '{}',
        "classifications" text array NOT NULL DEFAULT '{}',
        "rsit_types" text array NOT NULL DEFAULT '{}',
        "countries" text array NOT NULL DEFAULT '{}',
        "sectors" text array NOT NULL DEFAULT '{}',
        "confidence" smallint,
        "org_count" integer NOT NULL DEFAULT 0,
        "sighting_org_count" integer NOT NULL DEFAULT 0,
        "sighting_count" integer NOT NULL DEFAULT 0,
        "confirmed_org_count" integer NOT NULL DEFAULT 0,
        "false_positive_org_count" integer NOT NULL DEFAULT 0,
        "first_seen" TIMESTAMP WITH TIME ZONE,
        "last_seen" TIMESTAMP WITH TIME ZONE,
        "valid_until" TIMESTAMP WITH TIME ZONE,
        "warninglisted" boolean NOT NULL DEFAULT false,
        "fp_suppressed" boolean NOT NULL DEFAULT false,
        "fp_suppressed_at" TIMESTAMP WITH TIME ZONE,
        "score" smallint NOT NULL DEFAULT 0,
        "search_text" tsvector,
        "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_indicator_search" PRIMARY KEY ("stix_id"),
        CONSTRAINT "CHK_indicator_search_score" CHECK ("score" BETWEEN 0 AND 100)
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_indicator_search_value" ON "indicator_search" ("indicator_value")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_address" ON "indicator_search" USING gist ("address" inet_ops)
        WHERE address IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_host" ON "indicator_search" ("host_reversed") WHERE host_reversed IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_last_seen" ON "indicator_search" ("last_seen" DESC, "stix_id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_score" ON "indicator_search" ("score" DESC, "stix_id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_org_count" ON "indicator_search" ("org_count" DESC, "stix_id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_search_reporters" ON "indicator_search" USING gin ("reporter_ids")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_indicator_search_text" ON "indicator_search" USING gin ("search_text")`);
    // Indicators stored before the view existed: the daily job builds the rows the view lacks; queue one run now.
    await queryRunner.query(`
      INSERT INTO "outbox_jobs" (queue_name, job_name, job_id, payload)
      SELECT 'indicators', 'rescore-indicators', 'indicator-search-backfill', '{}'::jsonb
       WHERE EXISTS (SELECT 1 FROM "stix_objects" WHERE type IN ('indicator', 'vulnerability'))
      ON CONFLICT (queue_name, job_id) DO NOTHING`);
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD COLUMN "min_score" smallint`);
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "CHK_subscriptions_min_score" CHECK ("min_score" BETWEEN 0 AND 100)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP CONSTRAINT "CHK_subscriptions_min_score"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "min_score"`);
    await queryRunner.query(`DROP TABLE "indicator_search"`);
  }
}
