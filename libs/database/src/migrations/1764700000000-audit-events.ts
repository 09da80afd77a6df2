import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who did what, to which organisation, from where. Append-only: a statement trigger refuses UPDATE,
 * DELETE and TRUNCATE, whoever runs them. No foreign keys, so events outlive the users, keys and organisations they
 * name (and deleting those never has to touch this table).
 */
export class AuditEvents1764700000000 implements MigrationInterface {
  name = 'AuditEvents1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" bigserial PRIMARY KEY,
        "occurred_at" timestamptz NOT NULL DEFAULT now(),
        "organisation_id" uuid NOT NULL,
        "actor_user_id" uuid,
        "actor_api_key_id" uuid,
        "actor_organisation_id" uuid,
        "action" text NOT NULL,
        "target_type" text,
        "target_id" text,
        "address" inet,
        "request_id" text,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_organisation" ON "audit_events" ("organisation_id", "id")`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Audit events are never changed or removed; record a new event instead.';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
