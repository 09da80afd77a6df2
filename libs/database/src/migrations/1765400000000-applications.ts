import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admission of new CSIRTs: applications sent by teams without an account, their review history (who did what and
 * when) and the endorsements of sponsoring members. Tokens of the applicant's links are kept as SHA-256 only.
 */
export class Applications1765400000000 implements MigrationInterface {
  name = 'Applications1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Governments' own CERTs apply too; the value is not used in this migration (PostgreSQL forbids that).
    await queryRunner.query(`ALTER TYPE "organisation_kind" ADD VALUE IF NOT EXISTS 'government-cert'`);
    await queryRunner.query(`
      CREATE TYPE "application_status" AS ENUM
        ('submitted', 'under_review', 'information_requested', 'approved', 'rejected', 'withdrawn')`);
    await queryRunner.query(`
      CREATE TABLE "applications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "status" "application_status" NOT NULL DEFAULT 'submitted',
        "team_name" text NOT NULL,
        "kind" "organisation_kind" NOT NULL,
        "country_code" char(2) NOT NULL,
        "sector" text NOT NULL,
        "mandate" text NOT NULL,
        "website" text NOT NULL,
        "constituency" jsonb NOT NULL,
        "contacts" jsonb NOT NULL,
        "applicant_name" text NOT NULL,
        "applicant_email" text NOT NULL,
        "locale" text NOT NULL,
        "form_nonce" text NOT NULL,
        "verification_token_hash" char(64),
        "verification_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "verified_at" TIMESTAMP WITH TIME ZONE,
        "applicant_token_hash" char(64),
        "applicant_token_expires_at" TIMESTAMP WITH TIME ZONE,
        "organisation_id" uuid,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "clock_paused_at" TIMESTAMP WITH TIME ZONE,
        "paused_working_days" integer NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_applications" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_applications_form_nonce" UNIQUE ("form_nonce"),
        CONSTRAINT "FK_applications_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
          ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_applications_verification_token" ON "applications" ("verification_token_hash")
        WHERE "verification_token_hash" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_applications_applicant_token" ON "applications" ("applicant_token_hash")
        WHERE "applicant_token_hash" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_applications_status" ON "applications" ("status", "created_at")`);

    await queryRunner.query(`
      CREATE TABLE "application_events" (
        "id" bigserial NOT NULL,
        "application_id" uuid NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "kind" text NOT NULL,
        "from_status" "application_status",
        "to_status" "application_status",
        "actor_user_id" uuid,
        "actor_organisation_id" uuid,
        "by_applicant" boolean NOT NULL DEFAULT false,
        "text" text,
        CONSTRAINT "PK_application_events" PRIMARY KEY ("id"),
        CONSTRAINT "FK_application_events_application" FOREIGN KEY ("application_id") REFERENCES "applications"("id")
          ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_application_events_application" ON "application_events" ("application_id", "id")`,
    );

    await queryRunner.query(`
      CREATE TABLE "application_endorsements" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "application_id" uuid NOT NULL,
        "organisation_id" uuid,
        "endorser_user_id" uuid,
        "external_endorser" text,
        "comment" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_application_endorsements" PRIMARY KEY ("id"),
        CONSTRAINT "FK_application_endorsements_application" FOREIGN KEY ("application_id")
          REFERENCES "applications"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_application_endorsements_organisation" FOREIGN KEY ("organisation_id")
          REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_application_endorsements_endorser"
          CHECK (("organisation_id" IS NULL) <> ("external_endorser" IS NULL))
      )`);
    // One endorsement per member organisation and application.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_application_endorsements_organisation"
         ON "application_endorsements" ("application_id", "organisation_id") WHERE "organisation_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "application_endorsements"`);
    await queryRunner.query(`DROP TABLE "application_events"`);
    await queryRunner.query(`DROP TABLE "applications"`);
    await queryRunner.query(`DROP TYPE "application_status"`);
    // PostgreSQL cannot drop an enum value: 'government-cert' stays in organisation_kind.
  }
}
