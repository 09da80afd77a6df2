import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisations, people, credentials and incident reports as ingest receives them. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS "pgcrypto"`);
    await queryRunner.query(
      `CREATE TYPE "organisation_kind" AS ENUM ('national-csirt', 'sector-csirt', 'coordinator', 'partner')`,
    );
    await queryRunner.query(
      `CREATE TYPE "organisation_status" AS ENUM ('applicant', 'vetting', 'active', 'suspended', 'rejected')`,
    );
    await queryRunner.query(`
      CREATE TABLE "organisations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "short_name" text NOT NULL,
        "kind" "organisation_kind" NOT NULL DEFAULT 'national-csirt',
        "country_code" character(2),
        "sector" text,
        "status" "organisation_status" NOT NULL DEFAULT 'applicant',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_organisations" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_organisations_short_name" UNIQUE ("short_name")
      )`);

    await queryRunner.query(`CREATE TYPE "user_role" AS ENUM ('coordinator', 'org-admin', 'analyst')`);
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "email" text NOT NULL,
        "display_name" text NOT NULL,
        "password_hash" text NOT NULL,
        "role" "user_role" NOT NULL DEFAULT 'analyst',
        "disabled_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_users" PRIMARY KEY ("id"),
        CONSTRAINT "FK_users_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_users_email" ON "users" ("email")`);

    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "name" text NOT NULL,
        "prefix" text NOT NULL,
        "key_hash" character(64) NOT NULL,
        "scopes" text array NOT NULL DEFAULT '{}',
        "created_by" uuid,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "expires_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "FK_api_keys_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_api_keys_key_hash" ON "api_keys" ("key_hash")`);

    await queryRunner.query(`CREATE TYPE "report_source_format" AS ENUM ('json', 'stix', 'csv', 'misp')`);
    await queryRunner.query(`CREATE TYPE "report_status" AS ENUM ('received', 'normalised', 'failed')`);
    await queryRunner.query(`
      CREATE TABLE "incident_reports" (
        "id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "source_format" "report_source_format" NOT NULL,
        "status" "report_status" NOT NULL DEFAULT 'received',
        "title" text NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "rsit_classification" text NOT NULL,
        "rsit_type" text,
        "severity" text NOT NULL,
        "tlp" text NOT NULL,
        "tlp_recipients" uuid array NOT NULL DEFAULT '{}',
        "first_seen" TIMESTAMP WITH TIME ZONE,
        "last_seen" TIMESTAMP WITH TIME ZONE,
        "sector_tags" text array NOT NULL DEFAULT '{}',
        "country_tags" text array NOT NULL DEFAULT '{}',
        "indicator_count" integer NOT NULL DEFAULT 0,
        "skipped" jsonb NOT NULL DEFAULT '[]',
        "failure_reason" text,
        "idempotency_key" text,
        "enqueued_at" TIMESTAMP WITH TIME ZONE,
        "normalised_at" TIMESTAMP WITH TIME ZONE,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_incident_reports" PRIMARY KEY ("id"),
        CONSTRAINT "FK_incident_reports_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_incident_reports_idempotency" ON "incident_reports" ("organisation_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_reports_status" ON "incident_reports" ("status", "received_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "report_payloads" (
        "report_id" uuid NOT NULL,
        "content_type" text NOT NULL,
        "size_bytes" bigint NOT NULL DEFAULT 0,
        "sha256" character(64),
        CONSTRAINT "PK_report_payloads" PRIMARY KEY ("report_id"),
        CONSTRAINT "FK_report_payloads_report" FOREIGN KEY ("report_id") REFERENCES "incident_reports"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "report_payload_chunks" (
        "report_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "data" bytea NOT NULL,
        CONSTRAINT "PK_report_payload_chunks" PRIMARY KEY ("report_id", "seq"),
        CONSTRAINT "FK_report_payload_chunks_payload" FOREIGN KEY ("report_id") REFERENCES "report_payloads"("report_id") ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE "report_indicators" (
        "id" BIGSERIAL NOT NULL,
        "report_id" uuid NOT NULL,
        "type" text NOT NULL,
        "value" text NOT NULL,
        "is_cidr" boolean NOT NULL DEFAULT false,
        "first_seen" TIMESTAMP WITH TIME ZONE,
        "last_seen" TIMESTAMP WITH TIME ZONE,
        "confidence" smallint,
        "note" text,
        CONSTRAINT "PK_report_indicators" PRIMARY KEY ("id"),
        CONSTRAINT "FK_report_indicators_report" FOREIGN KEY ("report_id") REFERENCES "incident_reports"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_report_indicators_report" ON "report_indicators" ("report_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_report_indicators_type_value" ON "report_indicators" ("type", "value")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_indicators"`);
    await queryRunner.query(`DROP TABLE "report_payload_chunks"`);
    await queryRunner.query(`DROP TABLE "report_payloads"`);
    await queryRunner.query(`DROP TABLE "incident_reports"`);
    await queryRunner.query(`DROP TYPE "report_status"`);
    await queryRunner.query(`DROP TYPE "report_source_format"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "user_role"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
    await queryRunner.query(`DROP TYPE "organisation_status"`);
    await queryRunner.query(`DROP TYPE "organisation_kind"`);
  }
}
