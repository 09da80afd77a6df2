import { MigrationInterface, QueryRunner } from 'typeorm';

/** Early-warning subscriptions, their webhook endpoints, and every webhook delivery with its attempts. */
export class SubscriptionsAndWebhooks1764100000000 implements MigrationInterface {
  name = 'SubscriptionsAndWebhooks1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "subscriptions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "name" text NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "indicator_types" text array NOT NULL DEFAULT '{}',
        "classifications" text array NOT NULL DEFAULT '{}',
        "min_severity" text,
        "min_confidence" smallint,
        "countries" text array NOT NULL DEFAULT '{}',
        "sectors" text array NOT NULL DEFAULT '{}',
        "min_org_count" integer,
        "constituency_cidrs" cidr array NOT NULL DEFAULT '{}',
        "constituency_asns" bigint array NOT NULL DEFAULT '{}',
        "constituency_domains" text array NOT NULL DEFAULT '{}',
        "include_own_reports" boolean NOT NULL DEFAULT false,
        "stream" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_subscriptions" PRIMARY KEY ("id"),
        CONSTRAINT "FK_subscriptions_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_subscriptions_min_severity" CHECK ("min_severity" IN ('low', 'medium', 'high', 'critical')),
        CONSTRAINT "CHK_subscriptions_min_confidence" CHECK ("min_confidence" BETWEEN 0 AND 100),
        CONSTRAINT "CHK_subscriptions_min_org_count" CHECK ("min_org_count" >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_subscriptions_organisation" ON "subscriptions" ("organisation_id")`);

    await queryRunner.query(`
      CREATE TABLE "webhook_endpoints" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "subscription_id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "url" text NOT NULL,
        "secret" text NOT NULL,
        "previous_secret" text,
        "previous_secret_valid_until" TIMESTAMP WITH TIME ZONE,
        "disabled_at" TIMESTAMP WITH TIME ZONE,
        "disabled_reason" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"),
        CONSTRAINT "FK_webhook_endpoints_subscription" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_webhook_endpoints_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_webhook_endpoints_subscription_url" ON "webhook_endpoints" ("subscription_id", "url")`,
    );

    await queryRunner.query(`CREATE TYPE "webhook_delivery_status" AS ENUM ('pending', 'delivered', 'failed', 'dead')`);
    await queryRunner.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "endpoint_id" uuid NOT NULL,
        "subscription_id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "warning_id" text NOT NULL,
        "event_type" text NOT NULL,
        "payload" jsonb NOT NULL,
        "status" "webhook_delivery_status" NOT NULL DEFAULT 'pending',
        "attempts" smallint NOT NULL DEFAULT 0,
        "replays" smallint NOT NULL DEFAULT 0,
        "last_status_code" smallint,
        "last_error" text,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "dead_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("id"),
        CONSTRAINT "FK_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_webhook_deliveries_subscription" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_webhook_deliveries_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    // One delivery per warning and endpoint, so a retried fan-out schedules nothing twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_webhook_deliveries_warning_endpoint" ON "webhook_deliveries" ("warning_id", "endpoint_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_subscription_created" ON "webhook_deliveries" ("subscription_id", "created_at")`,
    );
    // Finds what is still scheduled for an endpoint when it is disabled.
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_deliveries_endpoint_open" ON "webhook_deliveries" ("endpoint_id") WHERE status IN ('pending', 'failed')`,
    );

    await queryRunner.query(`
      CREATE TABLE "webhook_delivery_attempts" (
        "id" BIGSERIAL NOT NULL,
        "delivery_id" uuid NOT NULL,
        "attempt" smallint NOT NULL,
        "status_code" smallint,
        "latency_ms" integer NOT NULL,
        "error" text,
        "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_webhook_delivery_attempts" PRIMARY KEY ("id"),
        CONSTRAINT "FK_webhook_delivery_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_delivery_attempts_delivery" ON "webhook_delivery_attempts" ("delivery_id", "attempted_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_delivery_attempts"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TYPE "webhook_delivery_status"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
  }
}
