import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { PeacedeskError } from '../errors.ts';
import { createPostgresAudit } from './postgres-audit.ts';
import {
  migrate,
  type PgContext,
  postgresError,
  REPLICA_HEARTBEAT_MS,
  redactUrl,
  SCHEMA_NAME,
} from './postgres-db.ts';
import { createPostgresDigests } from './postgres-digests.ts';
import { createPostgresDocuments } from './postgres-documents.ts';
import { createPostgresFeedback } from './postgres-feedback.ts';
import { createPostgresInsights } from './postgres-insights.ts';
import { createPostgresInstallations } from './postgres-installations.ts';
import { createPostgresLeases } from './postgres-lease.ts';
import { createPostgresLedger } from './postgres-ledger.ts';
import { createPostgresLiveCorpus, type PostgresLiveCorpusStore } from './postgres-live-corpus.ts';
import { createPostgresThreads } from './postgres-threads.ts';
import type {
  AuditLog,
  DeliveryLedger,
  DigestRunStore,
  DocumentRegistry,
  FeedbackStore,
  InsightStore,
  InstallationStore,
  LeaseStore,
  ThreadStore,
} from './types.ts';

/** Every store peacedesk keeps, in one PostgreSQL schema shared by all replicas. */
export interface PostgresStores {
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  documents: DocumentRegistry;
  digests: DigestRunStore;
  leases: LeaseStore;
  installations: InstallationStore;
  /** The question log and votes read back, and gap closures (coverage reports). */
  insights: InsightStore;
  /** Copies, corrections and feed state; copies and corrections also cached here for `notesFor`. */
  live: PostgresLiveCorpusStore;
  /** The threads the bot answered in (a follow-up reaching any replica finds its thread). */
  threads: ThreadStore;
  /** The pool, for code that needs the database itself (tests, the corpus listener). */
  readonly pool: pg.Pool;
  /** The schema the tables live in. */
  readonly schema: string;
  /** The database URL with its password masked. */
  readonly shown: string;
  /** The database URL as given (for connections of their own, such as LISTEN). */
  readonly url: string;
  close(): Promise<void>;
}

/** Options of {@link openPostgresStores}. */
export interface PostgresStoreOptions {
  /** Salt for hashing user ids; without it a random salt is created once and kept in the database. */
  salt?: string | undefined;
  clock?: Clock;
  /** How long a delivery key is remembered. Default one day. */
  ledgerTtlMs?: number;
  /** Schema for the tables (created if missing). Default `public`. Tests give each run its own. */
  schema?: string;
  /** Most connections this process opens. Default 10. */
  maxConnections?: number;
  /** This process's name among the replicas. Default host, pid and a random suffix. */
  replicaId?: string;
  /** How often to write the heartbeat. Default 5 s (tests that play a dead replica stop it). */
  heartbeatMs?: number;
  /** How often the notes cache looks for other replicas' copies and corrections. Default 5 s; 0 never. */
  liveRefreshMs?: number;
}

/**
 * Connect to PostgreSQL at `url`, migrate its schema (under an advisory lock, so replicas starting
 * together do not race) and return the stores. Throws PeacedeskError `database_unwritable` naming
 * the URL (password masked) when the server cannot be reached or used.
 */
export async function openPostgresStores(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStores> {
  const shown = redactUrl(url);
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new PeacedeskError(
      'invalid_config',
      `PostgreSQL schema "${schema}" must be lower-case letters, digits and _.`,
    );
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    // Every connection looks in our schema first; a startup parameter, so no query can run before it.
    options: `-c search_path=${schema}`,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const pools = [pool];
  let live: PostgresLiveCorpusStore | undefined;
  try {
    await migrate(pool, schema, shown);
    const salt = options.salt ?? (await storedSalt(pool));
    const clock = options.clock ?? systemClock;
    const replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const ctx: PgContext = { pool, clock, salt, schema, replicaId };
    live = await createPostgresLiveCorpus(pool, {
      ...(options.liveRefreshMs !== undefined && { refreshEveryMs: options.liveRefreshMs }),
    });
    // The heartbeat tells the other replicas this one is alive (see the delivery ledger). It has a
    // connection of its own: a busy replica's queries queue in the pool, its heartbeat must not.
    const beats = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
    beats.on('error', () => {});
    pools.push(beats);
    const beat = () =>
      beats.query(
        `INSERT INTO replicas (id, seen_at) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
        [replicaId, clock.now().getTime()],
      );
    await beat();
    const heartbeat = setInterval(
      () => void beat().catch(() => {}),
      options.heartbeatMs ?? REPLICA_HEARTBEAT_MS,
    );
    heartbeat.unref();
    const notes = live;
    return {
      feedback: createPostgresFeedback(ctx),
      audit: createPostgresAudit(ctx),
      ledger: createPostgresLedger(ctx, options.ledgerTtlMs ?? 24 * 60 * 60 * 1000),
      documents: createPostgresDocuments(ctx),
      digests: createPostgresDigests(ctx),
      leases: createPostgresLeases(ctx),
      installations: createPostgresInstallations(ctx),
      insights: createPostgresInsights(ctx),
      live: notes,
      threads: createPostgresThreads(ctx),
      pool,
      schema,
      shown,
      url,
      async close() {
        clearInterval(heartbeat);
        notes.stop();
        // Stopped cleanly, after its work: its claims stay (see the ledger); its row goes.
        await pool.query('DELETE FROM replicas WHERE id = $1', [replicaId]).catch(() => {});
        await Promise.all(pools.map((p) => p.end()));
      },
    };
  } catch (error) {
    live?.stop();
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    throw postgresError(shown, error);
  }
}

/** The salt kept in `meta`; the first replica to start writes it, the others read the same one. */
async function storedSalt(pool: pg.Pool): Promise<string> {
  await pool.query(`INSERT INTO meta (key, value) VALUES ('audit_salt', $1) ON CONFLICT (key) DO NOTHING`, [
    randomBytes(16).toString('hex'),
  ]);
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'audit_salt'`);
  return rows[0]!.value;
}
