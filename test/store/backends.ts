// The durable store backends the contract tests run against: SQLite always, PostgreSQL when
// TEST_DATABASE_URL points at a server (.ci/run starts one; in CI its absence is an error).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '../../src/clock.ts';
import { openPostgresStores, type PostgresStores } from '../../src/store/postgres-store.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type {
  AuditLog,
  DeliveryLedger,
  DigestRunStore,
  DocumentRegistry,
  FeedbackStore,
  InsightStore,
  InstallationStore,
  LeaseStore,
  LiveCorpusStore,
  ThreadStore,
} from '../../src/store/types.ts';
import { tempFolder } from '../helpers.ts';

/** The stores one process opens on a test database. */
export interface TestStores {
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  documents: DocumentRegistry;
  digests: DigestRunStore;
  installations: InstallationStore;
  insights: InsightStore;
  live: LiveCorpusStore;
  threads: ThreadStore;
  /** PostgreSQL only. */
  leases?: LeaseStore;
  /** PostgreSQL only: the stores' pool. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

/** Options every backend takes. */
export interface TestStoreOptions {
  clock?: Clock;
  salt?: string;
  ledgerTtlMs?: number;
  /** PostgreSQL only. */
  replicaId?: string;
  /** PostgreSQL only. */
  heartbeatMs?: number;
  /** PostgreSQL only. */
  liveRefreshMs?: number;
}

/** A fresh, empty database of one backend, which several "processes" may open. */
export interface TestDatabase {
  /** What a process given this database would put in its environment (a path or a URL). */
  readonly location: string;
  /** The PostgreSQL schema (PostgreSQL only). */
  readonly schema?: string;
  open(options?: TestStoreOptions): Promise<TestStores>;
  /** Close every store opened and remove the database. */
  drop(): Promise<void>;
}

/** A durable store backend. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

/** TEST_DATABASE_URL, or undefined locally; in CI (CI=true) a missing one throws. */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (url) return url;
  if (process.env.CI === 'true')
    throw new Error('TEST_DATABASE_URL is not set: .ci/run must start PostgreSQL before the tests.');
  return undefined;
}

let warned = false;
/** The backends to test here; warns once when PostgreSQL is left out. */
export function backends(): Backend[] {
  const url = testDatabaseUrl();
  if (!url && !warned) {
    warned = true;
    console.warn(
      'PostgreSQL tests not run: set TEST_DATABASE_URL (bash -c "source .ci/postgres.sh && pg_test_start && npm test").',
    );
  }
  return url ? [sqliteBackend, postgresBackend(url)] : [sqliteBackend];
}

/** SQLite: a file in a temporary folder. */
export const sqliteBackend: Backend = {
  name: 'sqlite',
  async create() {
    const { dir, cleanup } = await tempFolder({});
    const path = join(dir, 'peacedesk.db');
    const opened: Array<{ close(): void }> = [];
    return {
      location: path,
      async open(options = {}) {
        const stores = openSqliteStores(path, options);
        opened.push(stores);
        return { ...stores, close: async () => stores.close() };
      },
      async drop() {
        for (const stores of opened.splice(0)) {
          try {
            stores.close();
          } catch {
            // already closed by the test
          }
        }
        await cleanup();
      },
    };
  },
};

/** PostgreSQL: a schema of its own per database, so test files run in parallel. */
export function postgresBackend(url: string): Backend {
  return {
    name: 'postgres',
    async create() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const opened: PostgresStores[] = [];
      const closed = new WeakSet<PostgresStores>();
      return {
        location: url,
        schema,
        async open(options = {}) {
          const stores = await openPostgresStores(url, { ...options, schema, maxConnections: 4 });
          opened.push(stores);
          return {
            ...stores,
            close: async () => {
              if (closed.has(stores)) return;
              closed.add(stores);
              await stores.close();
            },
          };
        },
        async drop() {
          for (const stores of opened.splice(0)) if (!closed.has(stores)) await stores.close();
          await dropSchema(url, schema);
        },
      };
    },
  };
}

/** Remove a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
