import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An organisation's own reports, newest first (ingest's `GET /api/v1/reports`, the console's "my recent reports"):
 * keyset pages read this index in order, however many reports the network holds.
 */
export class ReportsByOrganisation1766600000000 implements MigrationInterface {
  name = 'ReportsByOrganisation1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_reports_organisation_received" ON "incident_reports"
         ("organisation_id", "received_at" DESC, "id" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_incident_reports_organisation_received"`);
  }
}
