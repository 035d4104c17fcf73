// The one module every query goes through. It opens either a real PostgreSQL + PostGIS
// server (DATABASE_URL) or the embedded PGlite database, and hands out clients that are
// always released in `finally`.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbedded, type EmbeddedDatabase } from './embedded.ts';

export type DbKind = 'embedded' | 'postgres';

/** Rows are untyped until the caller says what it selected: `db.query<Row>(sql)`. */
export type Row = Record<string, unknown>;

/** Anything that runs a query: the Db itself, or the client of a transaction in progress. */
export interface Queryable {
  /** `text`: SQL, or a named statement from `prepared()`. */
  query<R extends pg.QueryResultRow = Row>(text: string | Prepared, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A named statement for pg (see `prepared`). */
export interface Prepared {
  name?: string;
  text: string;
}

/**
 * A statement a hot path runs over and over (filing a case, looking up a session): a named
 * statement, parsed and planned once per connection; after five runs the server may keep one
 * generic plan, where planning the statement cost more than running it (on the embedded
 * database, ~3 ms of WebAssembly for the filing read of a batch, a third of running it).
 */
export function prepared(name: string, text: string): Prepared {
  return { name, text };
}

/**
 * PGlite runs every socket connection in its one session, so statement names live as long as
 * the database, not the connection: two processes sharing it (the tests do) would collide on
 * a name, and so would this process's next connection after one drops. Each connection's
 * statements are therefore named with a tag of that connection's own.
 */
function tagStatementNames(client: pg.PoolClient): void {
  const tag = randomBytes(4).toString('hex');
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
    // Plain { name, text } objects only; a Submittable (a cursor, a stream) is passed as it is.
    const named = config !== null && typeof config === 'object' && Object.getPrototypeOf(config) === Object.prototype
      && typeof (config as Prepared).name === 'string';
    return query(named ? { ...(config as Prepared), name: `${(config as Prepared).name}.${tag}` } : config, ...rest);
  };
}

/** A client inside withClient/withTransaction. */
export type DbClient = pg.PoolClient;

/**
 * The only way to the database. The pool stays private: callers run single queries, or hold
 * one client for a transaction, and the client is always released.
 */
export interface Db extends Queryable {
  kind: DbKind;
  connectionString: string;
  withClient<T>(fn: (client: DbClient) => Promise<T>): Promise<T>;
  /** Runs fn in a transaction: committed if it resolves, rolled back if it throws. */
  withTransaction<T>(fn: (client: DbClient) => Promise<T>): Promise<T>;
  /**
   * Where a read-only route that serves bulk data (the OGC API, the exports) runs its queries:
   * the streaming replica at DATABASE_READ_URL when there is one, else this database. The
   * replica is used only once it has replayed everything the primary had flushed when the
   * request began, so a reader always sees its own (and everyone's) acknowledged writes; a
   * replica further behind than `REPLICA_WAIT_MS` is passed over and the primary answers.
   */
  forReading(): Promise<Queryable>;
  /** Whether a replica (DATABASE_READ_URL) takes reads. */
  hasReplica: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /**
   * Connect to an embedded database that another process already runs (its socket URL),
   * instead of opening the data directory. The test suite shares one this way, because
   * each fresh PGlite + PostGIS costs ~15 s.
   */
  embeddedUrl?: string;
  /**
   * A hot-standby replica of `databaseUrl` (PostgreSQL streaming replication), for the read
   * routes that `forReading` serves. Only with `databaseUrl`.
   */
  readUrl?: string;
  dataDir: string;
  onProgress?: (message: string) => void;
  /**
   * statement_timeout for every query on a real PostgreSQL server (default 120 s, enough
   * for migrations and seeding; the HTTP server opens its own pool with a short one).
   * PGlite does not honour statement_timeout at all (it runs each statement to the end on
   * its one thread), so on the embedded database the queries themselves are kept bounded.
   */
  statementTimeoutMs?: number;
}

// `pg` would turn bigint (count(*)) into strings; our counts fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export async function openDb(options: OpenOptions): Promise<Db> {
  let embedded: EmbeddedDatabase | undefined;
  let connectionString = options.databaseUrl ?? options.embeddedUrl;
  const isEmbedded = !options.databaseUrl;
  if (!connectionString) {
    embedded = await startEmbedded({ dataDir: options.dataDir, onProgress: options.onProgress });
    connectionString = embedded.connectionString;
  }
  const pool = new pg.Pool({
    connectionString,
    // The embedded socket multiplexes every connection into PGlite's single session at the
    // level of protocol messages, so two connections could interleave one another's
    // Parse/Bind steps. One connection avoids that and loses no throughput: PGlite runs one query at a time anyway.
    max: isEmbedded ? 1 : 10,
    // Never let a forgotten transaction block everyone (PGlite serialises all sessions).
    idle_in_transaction_session_timeout: 60_000,
    statement_timeout: isEmbedded ? undefined : options.statementTimeoutMs ?? 120_000,
    application_name: 'grid-atlas',
  });
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  if (isEmbedded) pool.on('connect', tagStatementNames);
  if (options.readUrl && isEmbedded) throw new Error('DATABASE_READ_URL needs DATABASE_URL: the embedded database has no replica');
  const replica = options.readUrl
    ? new pg.Pool({
        connectionString: options.readUrl,
        max: 10,
        statement_timeout: options.statementTimeoutMs ?? 120_000,
        // Named so that the replica's pg_stat_activity tells these connections apart.
        application_name: 'grid-atlas-read',
      })
    : undefined;
  replica?.on('error', (err) => console.error('[db] idle replica client error:', err.message));

  const db: Db = {
    kind: isEmbedded ? 'embedded' : 'postgres',
    connectionString,
    query: (text, values) => pool.query(text, values as unknown[]),
    async withClient(fn) {
      const client = await pool.connect();
      try {
        return await fn(client);
      } finally {
        client.release();
      }
    },
    withTransaction(fn) {
      return db.withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(client);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
      });
    },
    hasReplica: !!replica,
    async forReading() {
      if (!replica) return db;
      return (await replicaCaughtUp(db, replica)) ? { query: (text, values) => replica.query(text, values as unknown[]) } : db;
    },
    async close() {
      await pool.end();
      await replica?.end();
      await embedded?.close();
    },
  };

  try {
    await ensurePostgis(db);
    if (replica) await checkReplica(replica);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** How long a read waits for the replica to replay the primary's latest writes before the primary answers instead. */
export const REPLICA_WAIT_MS = 2_000;

/**
 * Whether the replica has replayed all the WAL the primary had flushed a moment ago: every
 * transaction acknowledged before this request began. Polled every few milliseconds (on one
 * machine replay trails by about a millisecond), up to REPLICA_WAIT_MS.
 */
async function replicaCaughtUp(primary: Queryable, replica: pg.Pool): Promise<boolean> {
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn');
  const deadline = Date.now() + REPLICA_WAIT_MS;
  for (;;) {
    try {
      const r = await replica.query<{ ok: boolean }>('SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS ok', [rows[0].lsn]);
      if (r.rows[0].ok) return true;
    } catch (err) {
      console.error('[db] replica unavailable, reading from the primary:', (err as Error).message);
      return false;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Refuses a DATABASE_READ_URL that is not a hot standby (a typo pointing at the primary would "work" silently). */
async function checkReplica(replica: pg.Pool): Promise<void> {
  const { rows } = await replica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (!rows[0].standby) {
    throw new Error('DATABASE_READ_URL is not a streaming replica (pg_is_in_recovery() is false there); point it at a hot standby of DATABASE_URL');
  }
}

/** Stops with a message that says how to install PostGIS when the server lacks it. */
async function ensurePostgis(db: Db): Promise<void> {
  const { rows } = await db.query<{ available: boolean; installed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AS installed`,
  );
  if (rows[0].installed) return;
  if (!rows[0].available) {
    throw new Error(
      'PostGIS is not installed on the PostgreSQL server at DATABASE_URL. Install it ' +
        '(Debian/Ubuntu: apt-get install postgresql-15-postgis-3, matching your PostgreSQL version; ' +
        'other systems: https://postgis.net/documentation/getting_started/) and start again.',
    );
  }
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (err) {
    throw new Error(
      `PostGIS is available but could not be enabled (${(err as Error).message}). ` +
        'Ask a superuser to run: CREATE EXTENSION postgis; in this database, then start again.',
    );
  }
}

/**
 * The counter every change of the map's data bumps (triggers on the data tables), so encoded
 * responses can be cached per version and carry ETags.
 */
export async function dataVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM data_version');
  return rows[0].version;
}

export async function postgisVersion(db: Db): Promise<string> {
  const { rows } = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
  return rows[0].v;
}
