import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a TAXII client added (`POST .../objects/`): the objects it sent that were accepted (they travel as one STIX
 * report through ingest's intake, `report_id`) and those refused with the reason. The status resource is computed
 * from this row and the report's progress.
 */
export class TaxiiStatuses1765850000000 implements MigrationInterface {
  name = 'TaxiiStatuses1765850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "taxii_statuses" (
        "id" uuid NOT NULL,
        "organisation_id" uuid NOT NULL,
        "report_id" uuid,
        "accepted" jsonb NOT NULL DEFAULT '[]',
        "refused" jsonb NOT NULL DEFAULT '[]',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_taxii_statuses" PRIMARY KEY ("id"),
        CONSTRAINT "FK_taxii_statuses_organisation" FOREIGN KEY ("organisation_id")
          REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_taxii_statuses_report" FOREIGN KEY ("report_id")
          REFERENCES "incident_reports"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_taxii_statuses_organisation" ON "taxii_statuses" ("organisation_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "taxii_statuses"`);
  }
}
