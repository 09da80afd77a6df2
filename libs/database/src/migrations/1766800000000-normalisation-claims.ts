import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The values each running normalisation is writing, seen by every worker process (`StixObjectRepository.claimValues`).
 * Unlogged: a claim lives as long as one transaction, so nothing in it needs surviving a crash or reaching a replica.
 */
export class NormalisationClaims1766800000000 implements MigrationInterface {
  name = 'NormalisationClaims1766800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "normalisation_claims" (
         "value_id" text NOT NULL,
         "claim" uuid NOT NULL,
         "claimed_at" timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT "PK_normalisation_claims" PRIMARY KEY ("value_id", "claim"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_normalisation_claims_claim" ON "normalisation_claims" ("claim")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_normalisation_claims_claimed_at" ON "normalisation_claims" ("claimed_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "normalisation_claims"`);
  }
}
