import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { DOCUMENT_ID_PATTERN } from '../corpus/schema.ts';
import type { Logger } from '../logger.ts';
import type { CorpusUpdate } from '../persistence/watch-corpus.ts';
import type { Service } from '../service.ts';

/** Options of {@link createPostgresCorpusSync}. */
export interface PostgresCorpusSyncOptions {
  /** The stores' pool (its connections look in the stores' schema). */
  pool: pg.Pool;
  /** Connection settings for the LISTEN connection (the same database and schema as the pool). */
  url: string;
  schema: string;
  /** This replica's corpus folder; its watcher re-indexes what is written here. */
  dir: string;
  logger: Logger;
  clock?: Clock;
  /** Re-read the whole table this often, in case a notification was missed. Default 5 min. */
  reconcileEveryMs?: number;
  /** First wait before reconnecting the LISTEN connection, doubling up to 30 s. Default 500 ms. */
  reconnectDelayMs?: number;
}

/** The corpus mirrored through PostgreSQL: a service, plus what the local watcher reports. */
export interface PostgresCorpusSync extends Service {
  /** Record what this replica's watcher indexed, and tell the other replicas. */
  publish(update: CorpusUpdate): Promise<void>;
  /** Bring the folder and the table in step now (also done at start and after reconnecting). */
  reconcile(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const isArticleFile = (name: string) => name.toLowerCase().endsWith('.md') && !name.startsWith('.');

/**
 * Shares the corpus between replicas through the database: every article a replica indexes is
 * upserted into `corpus_files` and announced with NOTIFY; the others fetch it, write it into their
 * own corpus folder (atomically, by rename) and their corpus watcher re-indexes it as for any
 * file. So the index code is the same with one replica or ten, no shared file system is needed,
 * and the echo stops by itself: the file written from the table has the table's hash, so its
 * upsert changes nothing and notifies no one. At start (and after a lost connection) the table is
 * the truth: newer versions in it overwrite the folder; files it has never seen are uploaded.
 */
export function createPostgresCorpusSync(options: PostgresCorpusSyncOptions): PostgresCorpusSync {
  const { pool, dir, logger } = options;
  const clock = options.clock ?? systemClock;
  const channel = `peacedesk_corpus_${options.schema}`;
  const self = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let listener: pg.Client | undefined;
  let stopped = true;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  // The table version (content hash; null once deleted) each local file was last brought in step
  // with. The watcher reports files this replica wrote from the table too, sometimes late: by then
  // another replica may have stored a newer version, which an echo of the old one must not replace.
  const inStep = new Map<string, string | null>();
  // Serialise all folder writes: a notification and a reconcile never race on one file.
  const serial = (work: () => Promise<void>) => {
    const next = queue.then(work).catch((error: unknown) => logger.error('corpus sync failed', { error }));
    queue = next;
    return next;
  };

  const localHash = async (docId: string): Promise<string | undefined> => {
    try {
      return sha256(await readFile(join(dir, `${docId}.md`), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  // Write via a dot-file and rename: the watcher ignores dot-files and sees one whole new file.
  const writeLocal = async (docId: string, content: string) => {
    const temp = join(dir, `.${docId}.md.${process.pid}.tmp`);
    await writeFile(temp, content);
    await rename(temp, join(dir, `${docId}.md`));
  };

  const removeLocal = async (docId: string) => {
    await unlink(join(dir, `${docId}.md`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  };

  /** Make the local file match the table's row for `docId`. */
  const apply = async (docId: string) => {
    if (!DOCUMENT_ID_PATTERN.test(docId)) {
      logger.warn('corpus sync: ignoring a malformed article id', { docId: docId.slice(0, 200) });
      return;
    }
    const { rows } = await pool.query<{ content: string; content_hash: string; deleted: boolean }>(
      'SELECT content, content_hash, deleted FROM corpus_files WHERE doc_id = $1',
      [docId],
    );
    const row = rows[0];
    if (!row) return;
    const local = await localHash(docId);
    if (row.deleted) {
      // Only the version that was deleted goes: a newer local edit is kept (and uploaded by its watcher).
      if (local === row.content_hash) {
        await removeLocal(docId);
        inStep.set(docId, null);
        logger.info('corpus sync: article removed by another replica', { docId });
      }
      return;
    }
    inStep.set(docId, row.content_hash);
    if (local === row.content_hash) return;
    await writeLocal(docId, row.content);
    logger.info('corpus sync: article from another replica', { docId });
  };

  const upsert = async (docId: string, content: string) => {
    const hash = sha256(content);
    await pool.query(
      `WITH up AS (
         INSERT INTO corpus_files (doc_id, content, content_hash, deleted, updated_at, updated_by)
         VALUES ($1, $2, $3, false, $4, $5)
         ON CONFLICT (doc_id) DO UPDATE SET content = excluded.content, content_hash = excluded.content_hash,
           deleted = false, updated_at = excluded.updated_at, updated_by = excluded.updated_by
         WHERE corpus_files.content_hash <> excluded.content_hash OR corpus_files.deleted
         RETURNING doc_id)
       SELECT pg_notify($6, $5 || ' ' || doc_id) FROM up`,
      [docId, content, hash, clock.now(), self, channel],
    );
    inStep.set(docId, hash);
  };

  const markDeleted = async (docId: string) => {
    await pool.query(
      `WITH gone AS (
         UPDATE corpus_files SET deleted = true, updated_at = $2, updated_by = $3
         WHERE doc_id = $1 AND NOT deleted RETURNING doc_id)
       SELECT pg_notify($4, $3 || ' ' || doc_id) FROM gone`,
      [docId, clock.now(), self, channel],
    );
    inStep.set(docId, null);
  };

  const reconcile = () =>
    serial(async () => {
      const { rows } = await pool.query<{ doc_id: string; content_hash: string; deleted: boolean }>(
        'SELECT doc_id, content_hash, deleted FROM corpus_files',
      );
      const known = new Map(rows.map((row) => [row.doc_id, row]));
      let fetched = 0;
      let uploaded = 0;
      for (const row of rows) {
        const local = await localHash(row.doc_id).catch(() => undefined);
        if (row.deleted ? local === row.content_hash : local !== row.content_hash) {
          await apply(row.doc_id);
          fetched++;
        } else if (!row.deleted || local === undefined) {
          inStep.set(row.doc_id, row.deleted ? null : row.content_hash);
        }
      }
      for (const name of (await readdir(dir)).filter(isArticleFile)) {
        const docId = name.slice(0, -3);
        if (known.has(docId) || !DOCUMENT_ID_PATTERN.test(docId)) continue;
        await upsert(docId, await readFile(join(dir, name), 'utf8'));
        uploaded++;
      }
      if (fetched || uploaded) logger.info('corpus sync: reconciled', { fetched, uploaded });
    });

  const connect = async (attempt = 1): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({
      connectionString: options.url,
      options: `-c search_path=${options.schema}`,
    });
    const lost = (error?: unknown) => {
      if (listener !== client) return;
      listener = undefined;
      client.end().catch(() => {});
      if (stopped) return;
      logger.warn('corpus sync: LISTEN connection lost, reconnecting', { error });
      scheduleReconnect(1);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      const [origin, docId] = (message.payload ?? '').split(' ');
      if (!docId || origin === self) return;
      void serial(() => apply(docId));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      listener = client;
    } catch (error) {
      await client.end().catch(() => {});
      logger.error('corpus sync: cannot LISTEN', { attempt, error });
      scheduleReconnect(attempt + 1);
      return;
    }
    // Anything announced while no one was listening is in the table.
    await reconcile();
  };

  const scheduleReconnect = (attempt: number) => {
    if (stopped) return;
    const wait = Math.min(30_000, (options.reconnectDelayMs ?? 500) * 2 ** (attempt - 1));
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void connect(attempt), wait);
  };

  const scheduleReconcile = () => {
    if (stopped) return;
    reconcileTimer = setTimeout(
      () => void reconcile().finally(scheduleReconcile),
      options.reconcileEveryMs ?? 5 * 60 * 1000,
    );
  };

  return {
    name: 'corpus-sync',
    reconcile,
    publish: (update) =>
      serial(async () => {
        for (const docId of [...update.added, ...update.changed]) {
          const text = await readFile(join(dir, `${docId}.md`), 'utf8').catch(() => undefined);
          // An echo of a version taken from the table is not an edit: publishing it could
          // overwrite a newer version another replica stored meanwhile.
          if (text !== undefined && inStep.get(docId) !== sha256(text)) await upsert(docId, text);
        }
        for (const docId of update.removed) {
          // Removed here because the table said so, or already back (re-added since): not an edit.
          if (inStep.get(docId) === null || (await localHash(docId)) !== undefined) continue;
          await markDeleted(docId);
        }
      }),
    async start() {
      stopped = false;
      await connect();
      scheduleReconcile();
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearTimeout(reconcileTimer);
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => {});
      await queue;
    },
  };
}
