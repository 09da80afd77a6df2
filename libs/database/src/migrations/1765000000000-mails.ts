import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every mail Vigia sends, queued in the transaction of the change it tells about and sent by the worker: the mail
 * log. The body stays while the mail waits, and for good where no SMTP server is configured (development: the
 * coordinator reads mails in the portal); once sent over SMTP only the envelope is kept.
 */
export class Mails1765000000000 implements MigrationInterface {
  name = 'Mails1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "mail_status" AS ENUM ('queued', 'sent', 'logged', 'failed')`);
    await queryRunner.query(`
      CREATE TABLE "mails" (
        "id" uuid NOT NULL,
        "category" text NOT NULL,
        "organisation_id" uuid,
        "recipient" text NOT NULL,
        "locale" text NOT NULL,
        "subject" text NOT NULL,
        "body" text,
        "pgp_public_key" text,
        "encrypted" boolean NOT NULL DEFAULT false,
        "status" "mail_status" NOT NULL DEFAULT 'queued',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_mails" PRIMARY KEY ("id"),
        CONSTRAINT "FK_mails_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
          ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_mails_created" ON "mails" ("created_at" DESC, "id" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mails"`);
    await queryRunner.query(`DROP TYPE "mail_status"`);
  }
}
