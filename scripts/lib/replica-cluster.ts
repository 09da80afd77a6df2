import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/**
 * A private PostgreSQL primary (initdb in a temporary directory, its own port) and, on demand, a streaming replica
 * of it made with `pg_basebackup -R -X stream`: for the read-replica test and benchmark. A private primary because a
 * shared server need not accept replication connections (the Debian cluster's pg_hba.conf has no `replication`
 * line) and because a base backup copies the whole cluster, which is small only when it is ours.
 */
export interface ReplicaCluster {
  primaryUrl(database: string): string;
  /** The replica's URL, with `password` in it when given (the replica trusts local connections and ignores it). */
  replicaUrl(database: string, password?: string): string;
  /** Takes a base backup of the whole primary (every database in it) and starts the replica on it. */
  startReplica(): Promise<void>;
  /** Stops applying the primary's WAL (the replica keeps answering, with what it had). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>;
  stopReplica(): Promise<void>;
  /** Stops both servers and deletes their files, whatever state they are in. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL server binaries installed (`PG_BINDIR` overrides). */
async function binDir(): Promise<string> {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
  if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (set PG_BINDIR)');
  return `/usr/lib/postgresql/${newest}/bin`;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const asRoot = process.getuid?.() === 0;

async function pg(bin: string, command: string, args: string[]): Promise<void> {
  const file = path.join(bin, command);
  await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
}

async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A WAL position the replica will replay to that covers every commit made so far. With `synchronous_commit=off` a
 * commit returns before its record is written, so the write position may lie before it; the insert position may lie
 * past a page header that replay never reaches (right after a segment switch, such as the base backup's). One
 * synchronous commit that wrote WAL (a transactional message; an xid alone is not flushed) writes out every record
 * before its own, and the write position then ends at a record.
 */
async function writtenWalPosition(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = on');
    await client.query(`SELECT pg_logical_emit_message(true, 'vigia-test', 'caught up')`);
    const { rows } = await client.query<{ position: string }>('SELECT pg_current_wal_lsn()::text AS position');
    return rows[0]!.position;
  } finally {
    await client.end();
  }
}

export async function startPrimary({ durable = false }: { durable?: boolean } = {}): Promise<ReplicaCluster> {
  const bin = await binDir();
  const directory = await mkdtemp(path.join(tmpdir(), 'vigia-replica-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(directory, Number(stdout.trim()), Number(group.trim()));
  }
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = path.join(directory, 'primary');
  const replicaData = path.join(directory, 'replica');
  // Both servers listen on loopback only, with their sockets in the private directory.
  const serverOptions = (port: number): string =>
    `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1` +
    // A test needs no crash safety; a benchmark keeps PostgreSQL's defaults.
    (durable ? '' : ' -c fsync=off -c full_page_writes=off -c synchronous_commit=off');
  const urlOf = (port: number, database: string, password?: string): string =>
    `postgres://postgres${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`;
  let replicaRunning = false;
  let primaryRunning = false;

  const stop = async (data: string): Promise<void> => {
    await pg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  const cluster: ReplicaCluster = {
    primaryUrl: (database) => urlOf(primaryPort, database),
    replicaUrl: (database, password) => urlOf(replicaPort, database, password),
    async startReplica() {
      await pg(bin, 'pg_basebackup', [
        ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
        ...['-D', replicaData, '-R', '-X', 'stream', '--checkpoint=fast'],
      ]);
      replicaRunning = true;
      await pg(bin, 'pg_ctl', [
        ...['-D', replicaData, '-l', path.join(directory, 'replica.log'), '-w'],
        ...['-o', serverOptions(replicaPort), 'start'],
      ]);
    },
    async pauseReplay() {
      await sql(urlOf(replicaPort, 'postgres'), 'SELECT pg_wal_replay_pause()');
      // The call only asks: replay stops at its next record.
      await waitFor(
        'replay to pause',
        async () => {
          const [row] = await sql<{ state: string }>(
            urlOf(replicaPort, 'postgres'),
            'SELECT pg_get_wal_replay_pause_state() AS state',
          );
          return row?.state === 'paused' || undefined;
        },
        { timeoutMs: 15_000, intervalMs: 20 },
      );
    },
    async resumeReplay() {
      await sql(urlOf(replicaPort, 'postgres'), 'SELECT pg_wal_replay_resume()');
    },
    async caughtUp() {
      const position = await writtenWalPosition(urlOf(primaryPort, 'postgres'));
      await waitFor(
        'the replica to replay the primary',
        async () => {
          const [row] = await sql<{ done: boolean }>(
            urlOf(replicaPort, 'postgres'),
            `SELECT pg_last_wal_replay_lsn() >= '${position}'::pg_lsn AS done`,
          );
          return row?.done || undefined;
        },
        { timeoutMs: 15_000, intervalMs: 20 },
      );
    },
    async stopReplica() {
      replicaRunning = false;
      await pg(bin, 'pg_ctl', ['-D', replicaData, '-m', 'fast', '-w', 'stop']);
    },
    async destroy() {
      if (replicaRunning) await stop(replicaData);
      if (primaryRunning) await stop(primaryData);
      replicaRunning = primaryRunning = false;
      await rm(directory, { recursive: true, force: true });
    },
  };
  try {
    await pg(bin, 'initdb', ['-D', primaryData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    primaryRunning = true;
    await pg(bin, 'pg_ctl', [
      ...['-D', primaryData, '-l', path.join(directory, 'primary.log'), '-w'],
      ...['-o', serverOptions(primaryPort), 'start'],
    ]);
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}
