import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { openPostgresStores } from './postgres-store.ts';
import { openSqliteStores } from './sqlite-store.ts';
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
} from './types.ts';

/** The durable stores the service runs on, whichever database backs them. */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  documents: DocumentRegistry;
  digests: DigestRunStore;
  /** Shared leases (PostgreSQL); undefined for SQLite, where one process owns the file. */
  leases: LeaseStore | undefined;
  /** Slack OAuth installs per workspace (HTTP mode with SLACK_CLIENT_ID). */
  installations: InstallationStore;
  /** The question log and votes read back, and gap closures (coverage reports). */
  insights: InsightStore;
  /** Syndicated copies, corrections and feed state. */
  live: LiveCorpusStore;
  /** The threads the bot answered in (follow-ups without a mention). */
  threads: ThreadStore;
  /** Where the state lives, for logs (a file path, or the URL with its password masked). */
  where: string;
  /** The PostgreSQL connection, when that is the backend (the corpus is shared through it). */
  postgres: { pool: pg.Pool; url: string; schema: string } | undefined;
  close(): Promise<void>;
}

/** PostgreSQL when `DATABASE_URL` is set, the SQLite file at `DATABASE_PATH` otherwise. */
export async function openStores(
  config: Pick<Config, 'databasePath' | 'databaseUrl' | 'auditSalt'>,
  options: { clock?: Clock } = {},
): Promise<Stores> {
  if (config.databaseUrl) {
    const shared = await openPostgresStores(config.databaseUrl, { salt: config.auditSalt, ...options });
    return { kind: 'postgres', ...shared, where: shared.shown, postgres: shared };
  }
  const sqlite = openSqliteStores(config.databasePath, { salt: config.auditSalt, ...options });
  return {
    kind: 'sqlite',
    ...sqlite,
    leases: undefined,
    postgres: undefined,
    where: sqlite.path,
    close: async () => sqlite.close(),
  };
}
