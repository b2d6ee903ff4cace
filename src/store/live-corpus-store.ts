import type Database from 'better-sqlite3';
import type { ArticleCopy, Correction, FeedItemRecord, FeedState, LiveCorpusStore } from './types.ts';

/** The tables {@link createSqliteLiveCorpusStore} uses (one schema migration). */
export const LIVE_CORPUS_MIGRATION = `CREATE TABLE article_copies (
     url TEXT PRIMARY KEY,
     doc_id TEXT NOT NULL,
     source TEXT NOT NULL,
     title TEXT NOT NULL,
     published TEXT NOT NULL,
     similarity REAL NOT NULL,
     recorded_at TEXT NOT NULL
   );
   CREATE INDEX article_copies_doc ON article_copies (doc_id);
   CREATE TABLE corrections (
     id INTEGER PRIMARY KEY,
     doc_id TEXT NOT NULL,
     at TEXT NOT NULL,
     previous_title TEXT NOT NULL,
     title TEXT NOT NULL,
     source TEXT NOT NULL,
     changes TEXT NOT NULL,
     added TEXT NOT NULL,
     previous_sentences TEXT NOT NULL
   );
   CREATE INDEX corrections_doc ON corrections (doc_id);
   CREATE INDEX corrections_at ON corrections (at);
   CREATE TABLE feed_state (
     url TEXT PRIMARY KEY,
     etag TEXT,
     last_modified TEXT,
     failures INTEGER NOT NULL,
     retry_at TEXT,
     last_polled_at TEXT,
     last_error TEXT
   );
   CREATE TABLE feed_items (
     feed_url TEXT NOT NULL,
     item_key TEXT NOT NULL,
     link TEXT NOT NULL,
     outcome TEXT NOT NULL,
     detail TEXT NOT NULL,
     doc_id TEXT,
     stamp TEXT,
     attempts INTEGER NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (feed_url, item_key)
   );`;

interface CopyRow {
  url: string;
  doc_id: string;
  source: string;
  title: string;
  published: string;
  similarity: number;
  recorded_at: string;
}
interface CorrectionRow {
  id: number;
  doc_id: string;
  at: string;
  previous_title: string;
  title: string;
  source: string;
  changes: string;
  added: string;
  previous_sentences: string;
}

const copyOf = (row: CopyRow): ArticleCopy => ({
  docId: row.doc_id,
  url: row.url,
  source: row.source,
  title: row.title,
  published: row.published,
  similarity: row.similarity,
  recordedAt: new Date(row.recorded_at),
});
const correctionOf = (row: CorrectionRow): Correction => ({
  id: row.id,
  docId: row.doc_id,
  at: new Date(row.at),
  previousTitle: row.previous_title,
  title: row.title,
  source: row.source,
  changes: JSON.parse(row.changes),
  added: JSON.parse(row.added),
  previousSentences: JSON.parse(row.previous_sentences),
});

/** The live-corpus store over an open, migrated SQLite database. */
export function createSqliteLiveCorpusStore(db: Database.Database): LiveCorpusStore {
  const byDocs = (table: string, docIds: readonly string[]) =>
    docIds.length
      ? db
          .prepare(
            `SELECT * FROM ${table} WHERE doc_id IN (${docIds.map(() => '?').join(', ')}) ORDER BY ${table === 'corrections' ? 'id' : 'recorded_at, url'}`,
          )
          .all(...docIds)
      : [];
  return {
    async recordCopy(copy) {
      return (
        db
          .prepare(
            `INSERT OR IGNORE INTO article_copies (url, doc_id, source, title, published, similarity, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            copy.url,
            copy.docId,
            copy.source,
            copy.title,
            copy.published,
            copy.similarity,
            copy.recordedAt.toISOString(),
          ).changes === 1
      );
    },
    async copyAt(url) {
      const row = db.prepare<[string], CopyRow>('SELECT * FROM article_copies WHERE url = ?').get(url);
      return row ? copyOf(row) : undefined;
    },
    async recordCorrection(c) {
      const result = db
        .prepare(
          `INSERT INTO corrections (doc_id, at, previous_title, title, source, changes, added, previous_sentences)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          c.docId,
          c.at.toISOString(),
          c.previousTitle,
          c.title,
          c.source,
          JSON.stringify(c.changes),
          JSON.stringify(c.added),
          JSON.stringify(c.previousSentences),
        );
      return { ...c, id: Number(result.lastInsertRowid) };
    },
    async deleteCorrection(id) {
      db.prepare('DELETE FROM corrections WHERE id = ?').run(id);
    },
    async corrections(docId) {
      return db
        .prepare<[string], CorrectionRow>('SELECT * FROM corrections WHERE doc_id = ? ORDER BY id')
        .all(docId)
        .map(correctionOf);
    },
    async correctionsSince(since) {
      return db
        .prepare<[string], CorrectionRow>('SELECT * FROM corrections WHERE at >= ? ORDER BY id')
        .all(since.toISOString())
        .map(correctionOf);
    },
    notesFor(docIds) {
      return {
        copies: (byDocs('article_copies', docIds) as CopyRow[]).map(copyOf),
        corrections: (byDocs('corrections', docIds) as CorrectionRow[]).map(correctionOf),
      };
    },
    async feedState(url) {
      const row = db
        .prepare<
          [string],
          {
            url: string;
            etag: string | null;
            last_modified: string | null;
            failures: number;
            retry_at: string | null;
            last_polled_at: string | null;
            last_error: string | null;
          }
        >('SELECT * FROM feed_state WHERE url = ?')
        .get(url);
      return row
        ? {
            url: row.url,
            etag: row.etag,
            lastModified: row.last_modified,
            failures: row.failures,
            retryAt: row.retry_at ? new Date(row.retry_at) : null,
            lastPolledAt: row.last_polled_at ? new Date(row.last_polled_at) : null,
            lastError: row.last_error,
          }
        : undefined;
    },
    async saveFeedState(s: FeedState) {
      db.prepare(
        `INSERT INTO feed_state (url, etag, last_modified, failures, retry_at, last_polled_at, last_error)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           failures = excluded.failures, retry_at = excluded.retry_at,
           last_polled_at = excluded.last_polled_at, last_error = excluded.last_error`,
      ).run(
        s.url,
        s.etag,
        s.lastModified,
        s.failures,
        s.retryAt?.toISOString() ?? null,
        s.lastPolledAt?.toISOString() ?? null,
        s.lastError,
      );
    },
    async feedItem(feedUrl, key) {
      const row = db
        .prepare<
          [string, string],
          {
            feed_url: string;
            item_key: string;
            link: string;
            outcome: FeedItemRecord['outcome'];
            detail: string;
            doc_id: string | null;
            stamp: string | null;
            attempts: number;
            at: string;
          }
        >('SELECT * FROM feed_items WHERE feed_url = ? AND item_key = ?')
        .get(feedUrl, key);
      return row
        ? {
            feedUrl: row.feed_url,
            key: row.item_key,
            link: row.link,
            outcome: row.outcome,
            detail: row.detail,
            docId: row.doc_id,
            stamp: row.stamp,
            attempts: row.attempts,
            at: new Date(row.at),
          }
        : undefined;
    },
    async recordFeedItem(r) {
      db.prepare(
        `INSERT INTO feed_items (feed_url, item_key, link, outcome, detail, doc_id, stamp, attempts, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed_url, item_key) DO UPDATE SET link = excluded.link, outcome = excluded.outcome,
           detail = excluded.detail, doc_id = excluded.doc_id, stamp = excluded.stamp, attempts = excluded.attempts,
           at = excluded.at`,
      ).run(r.feedUrl, r.key, r.link, r.outcome, r.detail, r.docId, r.stamp, r.attempts, r.at.toISOString());
    },
  };
}

/** An in-memory {@link LiveCorpusStore}, for tests and runs without a database. Lost on exit. */
export function createMemoryLiveCorpusStore(): LiveCorpusStore {
  const copies = new Map<string, ArticleCopy>();
  const corrections: Correction[] = [];
  const feeds = new Map<string, FeedState>();
  const items = new Map<string, FeedItemRecord>();
  let nextId = 1;
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    async recordCopy(copy) {
      if (copies.has(copy.url)) return false;
      copies.set(copy.url, clone(copy));
      return true;
    },
    async copyAt(url) {
      const copy = copies.get(url);
      return copy && clone(copy);
    },
    async recordCorrection(c) {
      const saved = { ...clone(c), id: nextId++ };
      corrections.push(saved);
      return clone(saved);
    },
    async deleteCorrection(id) {
      const at = corrections.findIndex((c) => c.id === id);
      if (at >= 0) corrections.splice(at, 1);
    },
    async corrections(docId) {
      return corrections.filter((c) => c.docId === docId).map(clone);
    },
    async correctionsSince(since) {
      return corrections.filter((c) => c.at >= since).map(clone);
    },
    notesFor(docIds) {
      const wanted = new Set(docIds);
      return {
        copies: [...copies.values()]
          .filter((c) => wanted.has(c.docId))
          .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || a.url.localeCompare(b.url))
          .map(clone),
        corrections: corrections.filter((c) => wanted.has(c.docId)).map(clone),
      };
    },
    async feedState(url) {
      const state = feeds.get(url);
      return state && clone(state);
    },
    async saveFeedState(state) {
      feeds.set(state.url, clone(state));
    },
    async feedItem(feedUrl, key) {
      const item = items.get(`${feedUrl}\u0000${key}`);
      return item && clone(item);
    },
    async recordFeedItem(record) {
      items.set(`${record.feedUrl}\u0000${record.key}`, clone(record));
    },
  };
}
