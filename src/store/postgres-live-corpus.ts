import type pg from 'pg';
import type { Logger } from '../logger.ts';
import type { ArticleCopy, Correction, FeedItemRecord, FeedState, LiveCorpusStore } from './types.ts';

/** How often a replica looks for copies and corrections other replicas recorded. */
export const LIVE_NOTES_REFRESH_MS = 5_000;

/** The PostgreSQL live-corpus store: the store, plus its in-memory notes cache's controls. */
export interface PostgresLiveCorpusStore extends LiveCorpusStore {
  /** Bring the notes cache in step with the database now (also done every few seconds). */
  refresh(): Promise<void>;
  /** Stop the periodic refresh (the pool is the caller's to close). */
  stop(): void;
}

/** Options of {@link createPostgresLiveCorpus}. */
export interface PostgresLiveCorpusOptions {
  /** Re-read what other replicas recorded this often; 0 for never (tests call `refresh`). Default 5 s. */
  refreshEveryMs?: number;
  logger?: Logger;
}

interface CopyRow {
  seq: string;
  url: string;
  doc_id: string;
  source: string;
  title: string;
  published: string;
  similarity: number;
  recorded_at: Date;
}
interface CorrectionRow {
  id: string;
  doc_id: string;
  at: Date;
  previous_title: string;
  title: string;
  source: string;
  changes: Correction['changes'];
  added: string[];
  previous_sentences: string[];
}
interface FeedItemRow {
  feed_url: string;
  item_key: string;
  link: string;
  outcome: FeedItemRecord['outcome'];
  detail: string;
  doc_id: string | null;
  stamp: string | null;
  attempts: number;
  at: Date;
}

const copyOf = (row: CopyRow): ArticleCopy => ({
  docId: row.doc_id,
  url: row.url,
  source: row.source,
  title: row.title,
  published: row.published,
  similarity: row.similarity,
  recordedAt: row.recorded_at,
});
const correctionOf = (row: CorrectionRow): Correction => ({
  id: Number(row.id),
  docId: row.doc_id,
  at: row.at,
  previousTitle: row.previous_title,
  title: row.title,
  source: row.source,
  changes: row.changes,
  added: row.added,
  previousSentences: row.previous_sentences,
});

/** Cached notes are handed to every answer: frozen, so no caller can change what the next one sees. */
function frozen<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') frozen(inner);
  return Object.freeze(value);
}

/** One table's rows kept in memory by key and by article. */
function createIndex<T extends { docId: string }>(keyOf: (item: T) => string) {
  const byKey = new Map<string, T>();
  const byDoc = new Map<string, T[]>();
  return {
    get size() {
      return byKey.size;
    },
    add(item: T) {
      const key = keyOf(item);
      if (byKey.has(key)) return;
      byKey.set(key, frozen(item));
      const list = byDoc.get(item.docId);
      if (list) list.push(item);
      else byDoc.set(item.docId, [item]);
    },
    remove(key: string) {
      const item = byKey.get(key);
      if (!item) return;
      byKey.delete(key);
      const rest = (byDoc.get(item.docId) ?? []).filter((other) => other !== item);
      if (rest.length) byDoc.set(item.docId, rest);
      else byDoc.delete(item.docId);
    },
    clear() {
      byKey.clear();
      byDoc.clear();
    },
    of(docId: string): readonly T[] {
      return byDoc.get(docId) ?? [];
    },
  };
}

/**
 * Copies, corrections and feed state in PostgreSQL. `notesFor` must answer synchronously (answers
 * are built synchronously), so copies and corrections are also kept in memory: loaded at open,
 * updated at once when this replica records or deletes one, and every few seconds for what other
 * replicas recorded: a cheap count-and-maximum query per table, and new rows only when it moved.
 */
export async function createPostgresLiveCorpus(
  pool: pg.Pool,
  options: PostgresLiveCorpusOptions = {},
): Promise<PostgresLiveCorpusStore> {
  const copies = createIndex<ArticleCopy>((c) => c.url);
  const corrections = createIndex<Correction>((c) => String(c.id));
  let copiesTop = 0;
  let correctionsTop = 0;
  // Records and refreshes take turns, so a reload never drops a row this replica just recorded.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => {});
    return next;
  };

  const syncCopies = async () => {
    const { rows } = await pool.query<{ n: number; top: string }>(
      'SELECT count(*)::int AS n, coalesce(max(seq), 0) AS top FROM article_copies',
    );
    const { n, top } = rows[0]!;
    if (n === copies.size && Number(top) === copiesTop) return;
    const fresh = await pool.query<CopyRow>('SELECT * FROM article_copies WHERE seq > $1 ORDER BY seq', [
      copiesTop,
    ]);
    for (const row of fresh.rows) copies.add(copyOf(row));
    copiesTop = Math.max(copiesTop, Number(top));
    if (copies.size === n) return;
    // A row committed out of sequence order (or one removed): read the table whole.
    const all = await pool.query<CopyRow>('SELECT * FROM article_copies ORDER BY seq');
    copies.clear();
    for (const row of all.rows) copies.add(copyOf(row));
  };

  const syncCorrections = async () => {
    const { rows } = await pool.query<{ n: number; top: string }>(
      'SELECT count(*)::int AS n, coalesce(max(id), 0) AS top FROM corrections',
    );
    const { n, top } = rows[0]!;
    if (n === corrections.size && Number(top) === correctionsTop) return;
    const fresh = await pool.query<CorrectionRow>('SELECT * FROM corrections WHERE id > $1 ORDER BY id', [
      correctionsTop,
    ]);
    for (const row of fresh.rows) corrections.add(correctionOf(row));
    correctionsTop = Math.max(correctionsTop, Number(top));
    if (corrections.size === n) return;
    const all = await pool.query<CorrectionRow>('SELECT * FROM corrections ORDER BY id');
    corrections.clear();
    for (const row of all.rows) corrections.add(correctionOf(row));
  };

  const refresh = () =>
    exclusive(async () => {
      await syncCopies();
      await syncCorrections();
    });

  await refresh();
  let failing = false;
  const every = options.refreshEveryMs ?? LIVE_NOTES_REFRESH_MS;
  const timer =
    every > 0
      ? setInterval(() => {
          refresh().then(
            () => {
              failing = false;
            },
            (error: unknown) => {
              // One warning per outage; the cache keeps serving what it has.
              if (!failing) options.logger?.warn('copies and corrections not refreshed', { error });
              failing = true;
            },
          );
        }, every)
      : undefined;
  timer?.unref();

  return {
    refresh,
    stop: () => clearInterval(timer),
    recordCopy: (copy) =>
      exclusive(async () => {
        const { rows } = await pool.query<CopyRow>(
          `INSERT INTO article_copies (url, doc_id, source, title, published, similarity, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (url) DO NOTHING RETURNING *`,
          [copy.url, copy.docId, copy.source, copy.title, copy.published, copy.similarity, copy.recordedAt],
        );
        const row = rows[0];
        if (!row) return false;
        copies.add(copyOf(row));
        return true;
      }),
    async copyAt(url) {
      const { rows } = await pool.query<CopyRow>('SELECT * FROM article_copies WHERE url = $1', [url]);
      return rows[0] && copyOf(rows[0]);
    },
    recordCorrection: (c) =>
      exclusive(async () => {
        const { rows } = await pool.query<CorrectionRow>(
          `INSERT INTO corrections (doc_id, at, previous_title, title, source, changes, added, previous_sentences)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
          [
            c.docId,
            c.at,
            c.previousTitle,
            c.title,
            c.source,
            JSON.stringify(c.changes),
            JSON.stringify(c.added),
            JSON.stringify(c.previousSentences),
          ],
        );
        const saved = correctionOf(rows[0]!);
        corrections.add(correctionOf(rows[0]!));
        return saved;
      }),
    deleteCorrection: (id) =>
      exclusive(async () => {
        await pool.query('DELETE FROM corrections WHERE id = $1', [id]);
        corrections.remove(String(id));
      }),
    async corrections(docId) {
      const { rows } = await pool.query<CorrectionRow>(
        'SELECT * FROM corrections WHERE doc_id = $1 ORDER BY id',
        [docId],
      );
      return rows.map(correctionOf);
    },
    async correctionsSince(since) {
      const { rows } = await pool.query<CorrectionRow>(
        'SELECT * FROM corrections WHERE at >= $1 ORDER BY id',
        [since],
      );
      return rows.map(correctionOf);
    },
    notesFor(docIds) {
      const wanted = [...new Set(docIds)];
      return {
        // The order SQLite reads them in: copies by time recorded then URL, corrections by id.
        copies: wanted
          .flatMap((id) => copies.of(id))
          .sort(
            (a, b) =>
              a.recordedAt.getTime() - b.recordedAt.getTime() || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0),
          ),
        corrections: wanted.flatMap((id) => corrections.of(id)).sort((a, b) => a.id - b.id),
      };
    },
    async feedState(url) {
      const { rows } = await pool.query<{
        url: string;
        etag: string | null;
        last_modified: string | null;
        failures: number;
        retry_at: Date | null;
        last_polled_at: Date | null;
        last_error: string | null;
      }>('SELECT * FROM feed_state WHERE url = $1', [url]);
      const row = rows[0];
      return row
        ? {
            url: row.url,
            etag: row.etag,
            lastModified: row.last_modified,
            failures: row.failures,
            retryAt: row.retry_at,
            lastPolledAt: row.last_polled_at,
            lastError: row.last_error,
          }
        : undefined;
    },
    async saveFeedState(s: FeedState) {
      await pool.query(
        `INSERT INTO feed_state (url, etag, last_modified, failures, retry_at, last_polled_at, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           failures = excluded.failures, retry_at = excluded.retry_at,
           last_polled_at = excluded.last_polled_at, last_error = excluded.last_error`,
        [s.url, s.etag, s.lastModified, s.failures, s.retryAt, s.lastPolledAt, s.lastError],
      );
    },
    async feedItem(feedUrl, key) {
      const { rows } = await pool.query<FeedItemRow>(
        'SELECT * FROM feed_items WHERE feed_url = $1 AND item_key = $2',
        [feedUrl, key],
      );
      const row = rows[0];
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
            at: row.at,
          }
        : undefined;
    },
    async recordFeedItem(r) {
      await pool.query(
        `INSERT INTO feed_items (feed_url, item_key, link, outcome, detail, doc_id, stamp, attempts, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (feed_url, item_key) DO UPDATE SET link = excluded.link, outcome = excluded.outcome,
           detail = excluded.detail, doc_id = excluded.doc_id, stamp = excluded.stamp, attempts = excluded.attempts,
           at = excluded.at`,
        [r.feedUrl, r.key, r.link, r.outcome, r.detail, r.docId, r.stamp, r.attempts, r.at],
      );
    },
  };
}
