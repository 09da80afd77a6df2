import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People's sign-in sessions. A session is one refresh-token family: each refresh replaces the token, and the used
 * one is kept (with `used_at`) so presenting it again is detected as theft and ends the whole session.
 */
export class UserSessions1764800000000 implements MigrationInterface {
  name = 'UserSessions1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "user_sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" text,
        "user_agent" text,
        "ip_address" inet,
        CONSTRAINT "PK_user_sessions" PRIMARY KEY ("id"),
        CONSTRAINT "FK_user_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_user_sessions_user" ON "user_sessions" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "refresh_tokens" (
        "token_hash" character(64) NOT NULL,
        "session_id" uuid NOT NULL,
        "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_refresh_tokens" PRIMARY KEY ("token_hash"),
        CONSTRAINT "FK_refresh_tokens_session" FOREIGN KEY ("session_id") REFERENCES "user_sessions"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_refresh_tokens_session" ON "refresh_tokens" ("session_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "user_sessions"`);
  }
}
