import { SqlExecutor } from './sql-executor';

/**
 * WAL positions, in bytes from the start of the log: how far a streaming replica has come
 * (docs/architecture.md "Reads on a replica"). Numbers stay exact up to 2^53 bytes of WAL (8 PiB).
 */

/**
 * The primary's current WAL position: taken after a commit, it is at or past that commit. The insert position, not
 * `pg_current_wal_lsn()` (what is written out so far): with `synchronous_commit = off` a commit returns before its
 * record is written, and a replica that replayed to the write position could still lack it.
 */
export async function primaryWalPosition(primary: SqlExecutor): Promise<number> {
  const [row] = (await primary.query(`SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS position`)) as {
    position: string;
  }[];
  return Number(row!.position);
}

/**
 * How far a server has replayed the primary's WAL. A server that is not a standby (a primary named as the replica)
 * holds everything it has: its current position.
 */
export async function replayedWalPosition(replica: SqlExecutor): Promise<number> {
  const [row] = (await replica.query(
    `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END
             - '0/0'::pg_lsn)::text AS position`,
  )) as { position: string | null }[];
  // A standby that has replayed nothing yet answers NULL: it holds no write anyone waits for.
  return row?.position === null || row?.position === undefined ? 0 : Number(row.position);
}
