import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail channels of subscriptions, and the warnings each channel was given: one row per (channel, warning), whose
 * unique key makes a re-run fan-out mail nobody twice. An immediate warning's row points at its mail at once; a
 * digest's waits (`pending`, with its content) until its period ends (`due_at`), then joins one mail with the
 * channel's other due warnings (`mailed`), or is `dropped` when the recipient may no longer receive it.
 */
export class EmailChannels1765300000000 implements MigrationInterface {
  name = 'EmailChannels1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "email_channel_mode" AS ENUM ('immediate', 'hourly', 'daily')`);
    await queryRunner.query(`
      CREATE TABLE "subscription_email_channels" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "subscription_id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "address" text NOT NULL,
        "locale" text NOT NULL DEFAULT 'en',
        "mode" "email_channel_mode" NOT NULL DEFAULT 'immediate',
        "pgp_public_key" text,
        "pgp_fingerprint" text,
        "pgp_expires_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_subscription_email_channels" PRIMARY KEY ("id"),
        CONSTRAINT "FK_subscription_email_channels_subscription" FOREIGN KEY ("subscription_id")
          REFERENCES "subscriptions"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_subscription_email_channels_organisation" FOREIGN KEY ("organisation_id")
          REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_subscription_email_channels_address"
         ON "subscription_email_channels" ("subscription_id", lower("address"))`,
    );

    await queryRunner.query(`CREATE TYPE "email_warning_status" AS ENUM ('pending', 'mailed', 'dropped')`);
    await queryRunner.query(`
      CREATE TABLE "email_channel_warnings" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "channel_id" uuid NOT NULL,
        "warning_id" text NOT NULL,
        "report_id" uuid NOT NULL,
        "tlp" text NOT NULL,
        "audience_owner" uuid NOT NULL,
        "tlp_recipients" uuid[] NOT NULL DEFAULT '{}',
        "content" jsonb,
        "status" "email_warning_status" NOT NULL,
        "due_at" TIMESTAMP WITH TIME ZONE,
        "mail_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_email_channel_warnings" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_email_channel_warnings_channel_warning" UNIQUE ("channel_id", "warning_id"),
        CONSTRAINT "FK_email_channel_warnings_channel" FOREIGN KEY ("channel_id")
          REFERENCES "subscription_email_channels"("id") ON DELETE CASCADE,
        -- Deferred: a warning is recorded with the id of its mail, queued later in the same transaction only if the
        -- warning was new.
        CONSTRAINT "FK_email_channel_warnings_mail" FOREIGN KEY ("mail_id") REFERENCES "mails"("id") ON DELETE SET NULL
          DEFERRABLE INITIALLY DEFERRED
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_email_channel_warnings_due" ON "email_channel_warnings" ("due_at") WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_channel_warnings"`);
    await queryRunner.query(`DROP TYPE "email_warning_status"`);
    await queryRunner.query(`DROP TABLE "subscription_email_channels"`);
    await queryRunner.query(`DROP TYPE "email_channel_mode"`);
  }
}
