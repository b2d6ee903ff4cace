import type pg from 'pg';
import type { Clock } from '../clock.ts';
import { PeacedeskError } from '../errors.ts';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.ts';

/** What every PostgreSQL store file shares: the pool, the clock, the salt and the schema. */
export interface PgContext {
  pool: pg.Pool;
  clock: Clock;
  /** Salt for user-id hashes (kept in `meta`, like the SQLite store's). */
  salt: string;
  /** The schema the tables live in; advisory-lock keys include it so schemas never contend. */
  schema: string;
  /** This process among the replicas (its heartbeat row in `replicas`). */
  replicaId: string;
}

/** A replica whose heartbeat is older than this is taken for dead. */
export const REPLICA_DEAD_AFTER_MS = 20_000;
/** How often each replica writes its heartbeat. */
export const REPLICA_HEARTBEAT_MS = 5_000;

/** The schema version this code writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** A schema name PostgreSQL takes unquoted: letters, digits and underscores. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Run `work` in one transaction on one pooled connection; rolled back if it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Take the transaction-scoped advisory lock named `name` within `schema` (released at commit). */
export async function advisoryXactLock(client: pg.PoolClient, schema: string, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`peacedesk:${schema}:${name}`]);
}

/**
 * Apply the missing migrations in one transaction under an advisory lock, so replicas starting
 * together wait for each other instead of racing. Refuses a schema newer than this code.
 */
export async function migrate(pool: pg.Pool, schema: string, shown: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await advisoryXactLock(client, schema, 'migrate');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new PeacedeskError(
        'database_unwritable',
        `Database ${shown} has schema version ${current}, newer than this peacedesk understands (${POSTGRES_MIGRATIONS.length}). Upgrade peacedesk or point DATABASE_URL at another database.`,
        { url: shown, version: current },
      );
    }
    await client.query(`SET LOCAL search_path TO ${schema}`);
    for (const step of POSTGRES_MIGRATIONS) {
      if (step.version <= current) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        step.version,
        step.name,
      ]);
    }
  });
}

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** A failure to reach or use the database, as a PeacedeskError naming the (redacted) URL. */
export function postgresError(shown: string, error: unknown): PeacedeskError {
  if (error instanceof PeacedeskError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return new PeacedeskError(
    'database_unwritable',
    `Cannot use PostgreSQL at ${shown} (${reason}). Check that the server is running, that DATABASE_URL is right and that its user may create tables.`,
    { url: shown, cause: code },
  );
}
