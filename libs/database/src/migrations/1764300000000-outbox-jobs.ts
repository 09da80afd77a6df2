import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox_jobs`: work that must follow a commit (normalisation, fan-out, deliveries) is written in the committing
 * transaction and relayed to BullMQ from here. Reports still waiting for normalisation get their job in it, so an
 * upgrade loses none of them.
 */
export class OutboxJobs1764300000000 implements MigrationInterface {
  name = 'OutboxJobs1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "outbox_jobs" (
        "queue_name" text NOT NULL,
        "job_name" text NOT NULL,
        "job_id" text NOT NULL,
        "payload" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "relayed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_outbox_jobs" PRIMARY KEY ("queue_name", "job_id")
      )`);
    // Only jobs waiting for the relay are indexed: the common path (relayed right after the commit) writes one index.
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_jobs_waiting" ON "outbox_jobs" ("created_at") WHERE relayed_at IS NULL`,
    );
    await queryRunner.query(`
      INSERT INTO "outbox_jobs" (queue_name, job_name, job_id, payload)
      SELECT 'reports', 'normalise-report', id::text, jsonb_build_object('reportId', id)
        FROM "incident_reports" WHERE status = 'received'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbox_jobs"`);
  }
}
