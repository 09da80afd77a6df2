import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coordinator's network health (`GET /api/v1/network/health`) reads the last 30 days of reports, correlations,
 * webhook deliveries and their attempts. Without these each of its statements read its whole table, years of history
 * included; with them it reads only the period's rows.
 */
export class NetworkHealthIndexes1766900037000 implements MigrationInterface {
  name = 'NetworkHealthIndexes1766900037000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Reports per organisation and day (`ReportRepository.dailySubmissions`).
    await queryRunner.query(`CREATE INDEX "IDX_incident_reports_received" ON "incident_reports" ("received_at")`);
    // The most correlated values (`StixObjectRepository.findTopCorrelated`).
    await queryRunner.query(
      `CREATE INDEX "IDX_indicator_correlations_updated" ON "indicator_correlations" ("updated_at")`,
    );
    // Delivery outcomes and attempt latencies (`WebhookDeliveryRepository.healthByOrganisation`).
    await queryRunner.query(`CREATE INDEX "IDX_webhook_deliveries_created" ON "webhook_deliveries" ("created_at")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_webhook_delivery_attempts_attempted" ON "webhook_delivery_attempts" ("attempted_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_webhook_delivery_attempts_attempted"`);
    await queryRunner.query(`DROP INDEX "IDX_webhook_deliveries_created"`);
    await queryRunner.query(`DROP INDEX "IDX_indicator_correlations_updated"`);
    await queryRunner.query(`DROP INDEX "IDX_incident_reports_received"`);
  }
}
