import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { isLegacyFileHash, isReaderHash } from '../corpus/identity.ts';
import { PeacedeskError } from '../errors.ts';
import { createSqliteLiveCorpusStore, LIVE_CORPUS_MIGRATION } from './live-corpus-store.ts';
import { foldQuestion, hashUserId } from './memory-store.ts';
import type {
  AuditLog,
  DeliveryLedger,
  DigestRun,
  DigestRunStatus,
  DigestRunStore,
  DocumentRegistry,
  FeedbackStore,
  GapClosure,
  InsightStore,
  InstallationRecord,
  InstallationStore,
  LiveCorpusStore,
  Platform,
  RegisteredDocument,
  StoredQuestion,
  StoredVote,
  ThreadStore,
} from './types.ts';

/** Every store peacedesk keeps, backed by one SQLite file. */
export interface SqliteStores {
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  documents: DocumentRegistry;
  digests: DigestRunStore;
  /** The question log and votes read back, and gap closures (coverage reports). */
  insights: InsightStore;
  /** Syndicated copies, corrections and feed state (issue 16). */
  live: LiveCorpusStore;
  /** The threads the bot answered in (follow-ups without a mention). */
  threads: ThreadStore;
  installations: InstallationStore;
  /** The database file (or ":memory:"). */
  readonly path: string;
  close(): void;
}

/** Options of {@link openSqliteStores}. */
export interface SqliteStoreOptions {
  /** Salt for hashing user ids; without it a random salt is created once and kept in the database. */
  salt?: string | undefined;
  clock?: Clock;
  /** How long a delivery key is remembered. Default one day. */
  ledgerTtlMs?: number;
  /** Open an existing database for reading only (previews): no migration, nothing written. */
  readonly?: boolean;
}

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Append only:
 * never edit a shipped migration, add the next one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE documents (
     doc_id TEXT PRIMARY KEY,
     content_hash TEXT NOT NULL,
     first_seen_at TEXT NOT NULL,
     last_changed_at TEXT NOT NULL,
     added_revision INTEGER NOT NULL,
     changed_revision INTEGER NOT NULL
   );
   CREATE TABLE digest_runs (
     platform TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     period TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('posting', 'posted', 'empty', 'failed', 'unknown')),
     claimed_at TEXT NOT NULL,
     finished_at TEXT,
     corpus_revision INTEGER NOT NULL,
     publisher TEXT NOT NULL,
     message_id TEXT,
     error TEXT,
     PRIMARY KEY (platform, channel_id, period)
   );
   CREATE TABLE questions (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     platform TEXT NOT NULL,
     user_hash TEXT NOT NULL,
     question TEXT NOT NULL,
     question_key TEXT NOT NULL,
     answered INTEGER NOT NULL,
     cited_doc_ids TEXT NOT NULL,
     latency_ms INTEGER NOT NULL
   );
   CREATE INDEX questions_at ON questions (at);
   CREATE TABLE votes (
     platform TEXT NOT NULL,
     answer_id TEXT NOT NULL,
     user_hash TEXT NOT NULL,
     value TEXT NOT NULL CHECK (value IN ('up', 'down')),
     question TEXT,
     at TEXT NOT NULL,
     PRIMARY KEY (platform, answer_id, user_hash)
   );
   CREATE TABLE deliveries (key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL);`,
  // Coverage gaps and feedback: what an answer showed, what it was about, which gaps closed.
  `ALTER TABLE questions ADD COLUMN answer_id TEXT;
   ALTER TABLE questions ADD COLUMN topic TEXT;
   ALTER TABLE questions ADD COLUMN related_doc_ids TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE questions ADD COLUMN citations TEXT NOT NULL DEFAULT '[]';
   CREATE INDEX questions_answer ON questions (platform, answer_id);
   CREATE INDEX votes_at ON votes (at);
   ALTER TABLE votes ADD COLUMN comment TEXT;
   CREATE TABLE gap_closures (
     question_key TEXT PRIMARY KEY,
     question TEXT NOT NULL,
     closed_at TEXT NOT NULL,
     doc_id TEXT NOT NULL
   );`,
  // Copies, corrections, feed state and seen feed items (issue 16).
  LIVE_CORPUS_MIGRATION,
  // Conversations: the threads the bot answered in and what their follow-ups build on.
  `CREATE TABLE threads (
     platform TEXT NOT NULL,
     thread_id TEXT NOT NULL,
     context TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (platform, thread_id)
   );`,
  // Slack OAuth installs, one per workspace (issue 18).
  `CREATE TABLE installations (
     platform TEXT NOT NULL,
     workspace_id TEXT NOT NULL,
     data TEXT NOT NULL,
     installed_at TEXT NOT NULL,
     PRIMARY KEY (platform, workspace_id)
   );`,
  // The Slack workspace each question came from, for digests and gaps per workspace (issue 18).
  `ALTER TABLE questions ADD COLUMN workspace_id TEXT;
   CREATE INDEX questions_workspace ON questions (workspace_id, at);`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

interface RunRow {
  platform: string;
  channel_id: string;
  period: string;
  status: string;
  claimed_at: string;
  finished_at: string | null;
  corpus_revision: number;
  publisher: string;
  message_id: string | null;
  error: string | null;
}

const runOf = (row: RunRow): DigestRun => ({
  platform: row.platform as Platform,
  channelId: row.channel_id,
  period: row.period,
  status: row.status as DigestRunStatus,
  claimedAt: new Date(row.claimed_at),
  finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  corpusRevision: row.corpus_revision,
  publisher: row.publisher,
  messageId: row.message_id,
  error: row.error,
});

/**
 * Open (creating folder and file on first start) the SQLite database at `path` and migrate it.
 * Throws PeacedeskError `database_unwritable` or `database_corrupt` naming the file; an existing
 * file is never replaced or reset.
 */
export function openSqliteStores(path: string, options: SqliteStoreOptions = {}): SqliteStores {
  const clock = options.clock ?? systemClock;
  const ttl = options.ledgerTtlMs ?? 24 * 60 * 60 * 1000;
  const db = openDatabase(path, options.readonly ?? false);
  const meta = metaTable(db);
  const salt = options.salt ?? auditSalt(db, meta);
  return {
    feedback: createSqliteFeedback(db, salt, clock),
    audit: createSqliteAudit(db, salt),
    ledger: createSqliteLedger(db, clock, ttl),
    documents: createSqliteDocuments(db, meta, clock),
    digests: createSqliteDigests(db),
    insights: createSqliteInsights(db),
    live: createSqliteLiveCorpusStore(db),
    threads: createSqliteThreads(db),
    installations: createSqliteInstallations(db),
    path,
    close: () => db.close(),
  };
}

type Db = Database.Database;

/** The `meta` table's key–value reads and writes (the audit salt, the corpus revision). */
function metaTable(db: Db) {
  return {
    get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    set: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
}

type MetaTable = ReturnType<typeof metaTable>;

/** The corpus revision recorded so far (0 before the first sync). */
const corpusRevision = (meta: MetaTable): number => Number(meta.get.get('corpus_revision')?.value ?? 0);

/** The salt user ids are hashed with: created once, kept in the database. */
function auditSalt(db: Db, meta: MetaTable): string {
  return db
    .transaction(() => {
      const existing = meta.get.get('audit_salt')?.value;
      if (existing) return existing;
      const fresh = randomBytes(16).toString('hex');
      meta.set.run('audit_salt', fresh);
      return fresh;
    })
    .immediate();
}

/** Votes on answers, one per user and answer (a later vote replaces it). */
function createSqliteFeedback(db: Db, salt: string, clock: Clock): FeedbackStore {
  return {
    async recordVote(vote) {
      const userHash = hashUserId(salt, vote.platform, vote.userId);
      return db
        .transaction(() => {
          db.prepare(
            `INSERT INTO votes (platform, answer_id, user_hash, value, question, at, comment) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform, answer_id, user_hash) DO UPDATE SET value = excluded.value, at = excluded.at,
             comment = COALESCE(excluded.comment, votes.comment)`,
          ).run(
            vote.platform,
            vote.answerId,
            userHash,
            vote.value,
            vote.question ?? null,
            clock.now().toISOString(),
            vote.comment ?? null,
          );
          const tally = db
            .prepare<[string, string], { up: number | null; down: number | null }>(
              `SELECT SUM(value = 'up') AS up, SUM(value = 'down') AS down FROM votes WHERE platform = ? AND answer_id = ?`,
            )
            .get(vote.platform, vote.answerId);
          return { up: tally?.up ?? 0, down: tally?.down ?? 0 };
        })
        .immediate();
    },
  };
}

/** The questions asked, with user ids hashed. */
function createSqliteAudit(db: Db, salt: string): AuditLog {
  return {
    async recordQuestion(record) {
      db.prepare(
        `INSERT INTO questions (at, platform, user_hash, question, question_key, answered, cited_doc_ids, latency_ms,
           answer_id, topic, related_doc_ids, citations, workspace_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.at.toISOString(),
        record.platform,
        hashUserId(salt, record.platform, record.userId),
        record.question,
        foldQuestion(record.question),
        record.answered ? 1 : 0,
        JSON.stringify(record.citedDocIds),
        Math.round(record.latencyMs),
        record.answerId ?? null,
        record.topic ?? null,
        JSON.stringify(record.relatedDocIds ?? []),
        JSON.stringify(record.citations ?? []),
        record.workspaceId ?? null,
      );
    },
    async topQuestions(since, limit, workspaceId) {
      // The wording shown is the first one asked; ties go to the question asked most recently.
      // With a workspace, both count only its questions.
      const inQ = workspaceId === undefined ? '' : ' AND q.workspace_id = @workspace';
      const inQ2 = workspaceId === undefined ? '' : ' AND q2.workspace_id = @workspace';
      return db
        .prepare<{ since: string; limit: number; workspace?: string }, { question: string; count: number }>(
          `SELECT (SELECT q2.question FROM questions q2 WHERE q2.question_key = q.question_key${inQ2} ORDER BY q2.id LIMIT 1) AS question,
                  COUNT(*) AS count
           FROM questions q WHERE q.at >= @since${inQ}
           GROUP BY q.question_key ORDER BY count DESC, MAX(q.id) DESC LIMIT @limit`,
        )
        .all({
          since: since.toISOString(),
          limit,
          ...(workspaceId !== undefined && { workspace: workspaceId }),
        });
    },
  };
}

/** Delivery keys claimed once across processes, forgotten after `ttl` ms. */
function createSqliteLedger(db: Db, clock: Clock, ttl: number): DeliveryLedger {
  return {
    async claim(key) {
      const now = clock.now().getTime();
      return db
        .transaction(() => {
          db.prepare('DELETE FROM deliveries WHERE claimed_at < ?').run(now - ttl);
          return (
            db.prepare('INSERT OR IGNORE INTO deliveries (key, claimed_at) VALUES (?, ?)').run(key, now)
              .changes === 1
          );
        })
        .immediate();
    },
  };
}

/** The corpus articles seen, and the revision that counts their additions and changes. */
function createSqliteDocuments(db: Db, meta: MetaTable, clock: Clock): DocumentRegistry {
  const revisionNow = () => corpusRevision(meta);
  return {
    async sync(docs) {
      const at = clock.now().toISOString();
      return db.transaction(() => syncDocuments(db, meta, docs, at)).immediate();
    },
    async list() {
      return db
        .prepare<
          [],
          {
            doc_id: string;
            content_hash: string;
            first_seen_at: string;
            last_changed_at: string;
            added_revision: number;
            changed_revision: number;
          }
        >('SELECT * FROM documents ORDER BY doc_id')
        .all()
        .map(
          (row): RegisteredDocument => ({
            docId: row.doc_id,
            contentHash: row.content_hash,
            firstSeenAt: new Date(row.first_seen_at),
            lastChangedAt: new Date(row.last_changed_at),
            addedRevision: row.added_revision,
            changedRevision: row.changed_revision,
          }),
        );
    },
    async revision() {
      return revisionNow();
    },
  };
}

/** Record new and changed articles under the next corpus revision (in the caller's transaction). */
function syncDocuments(
  db: Db,
  meta: MetaTable,
  docs: Parameters<DocumentRegistry['sync']>[0],
  at: string,
): Awaited<ReturnType<DocumentRegistry['sync']>> {
  const revisionNow = () => corpusRevision(meta);
  const known = new Map(
    db
      .prepare<[], { doc_id: string; content_hash: string }>('SELECT doc_id, content_hash FROM documents')
      .all()
      .map((row) => [row.doc_id, row.content_hash]),
  );
  const added = docs.filter((d) => !known.has(d.docId)).map((d) => d.docId);
  // A whole-file hash from before reader hashes is adopted as is: upgrading is not a change.
  const adopt = db.prepare('UPDATE documents SET content_hash = ? WHERE doc_id = ?');
  for (const d of docs) {
    const stored = known.get(d.docId);
    if (stored && isLegacyFileHash(stored) && isReaderHash(d.contentHash)) {
      adopt.run(d.contentHash, d.docId);
      known.set(d.docId, d.contentHash);
    }
  }
  const changed = docs
    .filter((d) => known.has(d.docId) && known.get(d.docId) !== d.contentHash)
    .map((d) => d.docId);
  let revision = revisionNow();
  if (added.length === 0 && changed.length === 0) return { revision, added, changed };
  revision++;
  meta.set.run('corpus_revision', String(revision));
  const insert = db.prepare(
    `INSERT INTO documents (doc_id, content_hash, first_seen_at, last_changed_at, added_revision, changed_revision)
   VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    'UPDATE documents SET content_hash = ?, last_changed_at = ?, changed_revision = ? WHERE doc_id = ?',
  );
  const hashOf = new Map(docs.map((d) => [d.docId, d.contentHash]));
  for (const id of added) insert.run(id, hashOf.get(id), at, at, revision, revision);
  for (const id of changed) update.run(hashOf.get(id), at, revision, id);
  return { revision, added, changed };
}

/** Digest runs, claimed per channel and period. */
function createSqliteDigests(db: Db): DigestRunStore {
  return { ...digestRunWrites(db), ...digestRunReads(db) };
}

/** Claiming, finishing and abandoning digest runs. */
function digestRunWrites(db: Db): Pick<DigestRunStore, 'claim' | 'finish' | 'abandonStale'> {
  return {
    async claim(run) {
      // INSERT OR IGNORE on the primary key is the claim: atomic across processes sharing the file.
      return (
        db
          .prepare(
            `INSERT OR IGNORE INTO digest_runs (platform, channel_id, period, status, claimed_at, corpus_revision, publisher)
             VALUES (?, ?, ?, 'posting', ?, ?, ?)`,
          )
          .run(
            run.platform,
            run.channelId,
            run.period,
            run.at.toISOString(),
            run.corpusRevision,
            run.publisher,
          ).changes === 1
      );
    },
    async finish(key, outcome) {
      db.prepare(
        `UPDATE digest_runs SET status = ?, finished_at = ?, message_id = ?, error = ?
         WHERE platform = ? AND channel_id = ? AND period = ?`,
      ).run(
        outcome.status,
        outcome.at.toISOString(),
        outcome.messageId ?? null,
        outcome.error ?? null,
        key.platform,
        key.channelId,
        key.period,
      );
    },
    async abandonStale(before) {
      return db
        .transaction(() => {
          const rows = db
            .prepare<[string], RunRow>(
              `SELECT * FROM digest_runs WHERE status = 'posting' AND claimed_at < ?`,
            )
            .all(before.toISOString());
          db.prepare(
            `UPDATE digest_runs SET status = 'unknown' WHERE status = 'posting' AND claimed_at < ?`,
          ).run(before.toISOString());
          return rows.map((row) => ({ ...runOf(row), status: 'unknown' as const }));
        })
        .immediate();
    },
  };
}

/** Reading digest runs back. */
function digestRunReads(db: Db): Pick<DigestRunStore, 'get' | 'lastDelivered' | 'list'> {
  return {
    async get(platform, channelId, period) {
      const row = db
        .prepare<[string, string, string], RunRow>(
          'SELECT * FROM digest_runs WHERE platform = ? AND channel_id = ? AND period = ?',
        )
        .get(platform, channelId, period);
      return row ? runOf(row) : undefined;
    },
    async lastDelivered(platform, channelId) {
      const row = db
        .prepare<[string, string], RunRow>(
          `SELECT * FROM digest_runs WHERE platform = ? AND channel_id = ? AND status IN ('posted', 'empty')
           ORDER BY claimed_at DESC, rowid DESC LIMIT 1`,
        )
        .get(platform, channelId);
      return row ? runOf(row) : undefined;
    },
    async list(platform, channelId) {
      return db
        .prepare<[string, string], RunRow>(
          'SELECT * FROM digest_runs WHERE platform = ? AND channel_id = ? ORDER BY claimed_at, rowid',
        )
        .all(platform, channelId)
        .map(runOf);
    },
  };
}

type InstallationRow = { platform: string; workspace_id: string; data: string; installed_at: string };
const installationOf = (row: InstallationRow): InstallationRecord => ({
  platform: row.platform as Platform,
  workspaceId: row.workspace_id,
  data: JSON.parse(row.data),
  installedAt: new Date(row.installed_at),
});

/** Workspaces the app is installed in, per platform. */
function createSqliteInstallations(db: Db): InstallationStore {
  return {
    async save(record) {
      db.prepare(
        `INSERT INTO installations (platform, workspace_id, data, installed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, workspace_id) DO UPDATE SET data = excluded.data, installed_at = excluded.installed_at`,
      ).run(
        record.platform,
        record.workspaceId,
        JSON.stringify(record.data),
        record.installedAt.toISOString(),
      );
    },
    async get(platform, workspaceId) {
      const row = db
        .prepare<[string, string], InstallationRow>(
          'SELECT * FROM installations WHERE platform = ? AND workspace_id = ?',
        )
        .get(platform, workspaceId);
      return row ? installationOf(row) : undefined;
    },
    async remove(platform, workspaceId) {
      return (
        db
          .prepare('DELETE FROM installations WHERE platform = ? AND workspace_id = ?')
          .run(platform, workspaceId).changes > 0
      );
    },
    async list(platform) {
      return db
        .prepare<[string], InstallationRow>(
          'SELECT * FROM installations WHERE platform = ? ORDER BY workspace_id',
        )
        .all(platform)
        .map(installationOf);
    },
  };
}

interface QuestionRow {
  id: number;
  at: string;
  platform: string;
  user_hash: string;
  question: string;
  question_key: string;
  answered: number;
  cited_doc_ids: string;
  latency_ms: number;
  answer_id: string | null;
  topic: string | null;
  related_doc_ids: string;
  citations: string;
  workspace_id: string | null;
}

/** A JSON column written by this code; anything unreadable reads as empty rather than failing a report. */
function jsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

const questionOf = (row: QuestionRow): StoredQuestion => ({
  id: row.id,
  at: new Date(row.at),
  platform: row.platform as Platform,
  askerHash: row.user_hash,
  question: row.question,
  questionKey: row.question_key,
  answered: row.answered === 1,
  citedDocIds: jsonArray<string>(row.cited_doc_ids),
  latencyMs: row.latency_ms,
  answerId: row.answer_id,
  topic: row.topic,
  relatedDocIds: jsonArray<string>(row.related_doc_ids),
  citations: jsonArray(row.citations),
  workspaceId: row.workspace_id,
});

/** The coverage-report side of the database: reads of questions and votes, and gap closures. */
function createSqliteInsights(db: Database.Database): InsightStore {
  return {
    async questions(since, limit = 50_000) {
      // The newest `limit`, returned oldest first.
      return db
        .prepare<[string, number], QuestionRow>(
          'SELECT * FROM (SELECT * FROM questions WHERE at >= ? ORDER BY id DESC LIMIT ?) ORDER BY id',
        )
        .all(since.toISOString(), limit)
        .map(questionOf);
    },
    async votes(since) {
      return db
        .prepare<
          [string],
          {
            platform: string;
            answer_id: string;
            user_hash: string;
            value: string;
            question: string | null;
            at: string;
            comment: string | null;
          }
        >('SELECT * FROM votes WHERE at >= ? ORDER BY at, rowid')
        .all(since.toISOString())
        .map(
          (row): StoredVote => ({
            platform: row.platform as Platform,
            answerId: row.answer_id,
            voterHash: row.user_hash,
            value: row.value as StoredVote['value'],
            question: row.question,
            comment: row.comment,
            at: new Date(row.at),
          }),
        );
    },
    async closures() {
      return db
        .prepare<[], { question_key: string; question: string; closed_at: string; doc_id: string }>(
          'SELECT * FROM gap_closures ORDER BY closed_at, question_key',
        )
        .all()
        .map(
          (row): GapClosure => ({
            questionKey: row.question_key,
            question: row.question,
            closedAt: new Date(row.closed_at),
            docId: row.doc_id,
          }),
        );
    },
    async recordClosure(closure) {
      db.prepare(
        'INSERT OR IGNORE INTO gap_closures (question_key, question, closed_at, doc_id) VALUES (?, ?, ?, ?)',
      ).run(closure.questionKey, closure.question, closure.closedAt.toISOString(), closure.docId);
    },
    async removeClosure(questionKey) {
      db.prepare('DELETE FROM gap_closures WHERE question_key = ?').run(questionKey);
    },
  };
}

/** Open, check and migrate the database; any failure becomes a PeacedeskError naming the file. */
function openDatabase(path: string, readonly: boolean): Database.Database {
  const shown = path === ':memory:' ? path : resolve(path);
  let db: Database.Database | undefined;
  try {
    if (path !== ':memory:' && !readonly) mkdirSync(dirname(shown), { recursive: true });
    db = new Database(path, { timeout: 5000, readonly, fileMustExist: readonly });
    // Reading the header first: a file that is not a database fails here, before anything writes.
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw Object.assign(new Error(String(integrity)), { code: 'SQLITE_CORRUPT' });
    if (readonly) {
      const version = Number(db.pragma('user_version', { simple: true }));
      if (version !== MIGRATIONS.length)
        throw new PeacedeskError(
          'database_unwritable',
          `Database ${shown} has schema version ${version}, this peacedesk expects ${MIGRATIONS.length}; start peacedesk once to migrate it.`,
          { path: shown, version },
        );
      return db;
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, shown);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof PeacedeskError) throw error;
    throw databaseError(shown, error);
  }
}

function migrate(db: Database.Database, shown: string): void {
  db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > MIGRATIONS.length) {
      throw new PeacedeskError(
        'database_unwritable',
        `Database ${shown} has schema version ${version}, newer than this peacedesk understands (${MIGRATIONS.length}). Upgrade peacedesk or point DATABASE_PATH at another file.`,
        { path: shown, version },
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    // Writing user_version even when current proves early that the file is writable.
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

function databaseError(shown: string, error: unknown): PeacedeskError {
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
    return new PeacedeskError(
      'database_corrupt',
      `Database ${shown} is corrupt or not a peacedesk database (${reason}). It was left untouched: restore it from a backup, or move it aside to start with an empty one.`,
      { path: shown, cause: code },
    );
  }
  return new PeacedeskError(
    'database_unwritable',
    `Cannot open database ${shown} for writing (${reason}). Check that the folder exists or can be created and that peacedesk may write there, or set DATABASE_PATH.`,
    { path: shown, cause: code },
  );
}

/** The threads table behind {@link ThreadStore}. */
function createSqliteThreads(db: Database.Database): ThreadStore {
  return {
    async get(platform, threadId) {
      const row = db
        .prepare('SELECT context, updated_at FROM threads WHERE platform = ? AND thread_id = ?')
        .get(platform, threadId) as { context: string; updated_at: string } | undefined;
      return row && { platform, threadId, context: row.context, updatedAt: new Date(row.updated_at) };
    },
    async save(thread) {
      db.prepare(
        `INSERT INTO threads (platform, thread_id, context, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, thread_id) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
      ).run(thread.platform, thread.threadId, thread.context, thread.updatedAt.toISOString());
    },
  };
}
