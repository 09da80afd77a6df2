import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The secured 24/7 directory: each organisation's profile, its 24/7 contacts and its constituency (networks, AS
 * numbers, domain suffixes), which lookups and the constituency warnings of the fan-out read.
 */
export class Directory1765100000000 implements MigrationInterface {
  name = 'Directory1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "directory_entries" (
        "organisation_id" uuid NOT NULL,
        "website" text,
        "mandate" text,
        "description" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_directory_entries" PRIMARY KEY ("organisation_id"),
        CONSTRAINT "FK_directory_entries_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE "directory_contacts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "position" smallint NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "email" text NOT NULL,
        "phone" text NOT NULL,
        "pgp_public_key" text,
        "pgp_fingerprint" text,
        "pgp_expires_at" TIMESTAMP WITH TIME ZONE,
        "time_zone" text NOT NULL,
        "languages" text array NOT NULL DEFAULT '{}',
        "hours" text NOT NULL,
        "last_confirmed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_directory_contacts" PRIMARY KEY ("id"),
        CONSTRAINT "FK_directory_contacts_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_directory_contacts_phone" CHECK ("phone" ~ '^\\+[1-9][0-9]{1,14}$'),
        CONSTRAINT "CHK_directory_contacts_pgp" CHECK (("pgp_public_key" IS NULL) = ("pgp_fingerprint" IS NULL))
      )`);
    // A contact is known by its address within its organisation: an edit that keeps it keeps its confirmations.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_directory_contacts_organisation_email" ON "directory_contacts" ("organisation_id", lower("email"))`,
    );

    await queryRunner.query(`
      CREATE TABLE "directory_networks" (
        "organisation_id" uuid NOT NULL,
        "network" cidr NOT NULL,
        CONSTRAINT "PK_directory_networks" PRIMARY KEY ("organisation_id", "network"),
        CONSTRAINT "FK_directory_networks_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE
      )`);
    // Answers `network >>= address` (who holds this address) without scanning every network.
    await queryRunner.query(
      `CREATE INDEX "IDX_directory_networks_network" ON "directory_networks" USING gist ("network" inet_ops)`,
    );

    await queryRunner.query(`
      CREATE TABLE "directory_asns" (
        "organisation_id" uuid NOT NULL,
        "asn" bigint NOT NULL,
        CONSTRAINT "PK_directory_asns" PRIMARY KEY ("organisation_id", "asn"),
        CONSTRAINT "FK_directory_asns_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_directory_asns_range" CHECK ("asn" BETWEEN 1 AND 4294967295)
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_directory_asns_asn" ON "directory_asns" ("asn")`);

    await queryRunner.query(`
      CREATE TABLE "directory_domains" (
        "organisation_id" uuid NOT NULL,
        "domain" text NOT NULL,
        CONSTRAINT "PK_directory_domains" PRIMARY KEY ("organisation_id", "domain"),
        CONSTRAINT "FK_directory_domains_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_directory_domains_canonical" CHECK ("domain" = lower("domain") AND "domain" !~ '^\\.')
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_directory_domains_domain" ON "directory_domains" ("domain")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "directory_domains"`);
    await queryRunner.query(`DROP TABLE "directory_asns"`);
    await queryRunner.query(`DROP TABLE "directory_networks"`);
    await queryRunner.query(`DROP TABLE "directory_contacts"`);
    await queryRunner.query(`DROP TABLE "directory_entries"`);
  }
}
