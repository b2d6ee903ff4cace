import { existsSync } from 'node:fs';
import pg from 'pg';
import type { Engine } from '../answering/engine.ts';
import type { Answer } from '../answering/types.ts';
import type { Logger } from '../logger.ts';
import { redactUrl } from '../store/postgres-db.ts';
import { createPostgresLiveCorpus, type PostgresLiveCorpusStore } from '../store/postgres-live-corpus.ts';
import { openSqliteStores } from '../store/sqlite-store.ts';
import type { LiveCorpusStore } from '../store/types.ts';
import { quoteNotes } from './corrections.ts';

/** Reads copies and corrections for the articles an answer cites (synchronously). */
export type NotesSource = Pick<LiveCorpusStore, 'notesFor'>;

/**
 * An answer with each citation's syndicated copies ("also published by …") and correction notes
 * attached, its text rendered again. The engine stays pure: this runs on its output.
 */
export function attachNotes(answer: Answer, source: NotesSource): Answer {
  if (!answer.citations.length) return answer;
  const { copies, corrections } = source.notesFor([...new Set(answer.citations.map((c) => c.docId))]);
  if (!copies.length && !corrections.length) return answer;
  let touched = false;
  const citations = answer.citations.map((citation) => {
    const alsoPublishedBy = copies
      .filter((c) => c.docId === citation.docId)
      .map((c) => ({ source: c.source, url: c.url, published: c.published }));
    const notes = quoteNotes(
      citation.snippet,
      corrections.filter((c) => c.docId === citation.docId),
    ).map(({ kind, at, text }) => ({ kind, at, text }));
    if (!alsoPublishedBy.length && !notes.length) return citation;
    touched = true;
    return {
      ...citation,
      ...(alsoPublishedBy.length && { alsoPublishedBy }),
      ...(notes.length && { notes }),
    };
  });
  if (!touched) return answer;
  return { ...answer, citations };
}

/**
 * The engine with {@link attachNotes} applied to every answer, comparison and timeline, and a
 * `renew` that applies it again to an answer given earlier (the ask service's recall); every
 * other method is the engine's own. What each surface gets, so none of them needs to know.
 */
export function withAnswerNotes(
  engine: Engine,
  source: () => NotesSource | undefined,
): Engine & { renew(answer: Answer): Answer } {
  const wrapped = Object.create(engine) as Engine & { renew(answer: Answer): Answer };
  const decorate = (answer: Answer) => {
    const notes = source();
    return notes ? attachNotes(answer, notes) : answer;
  };
  wrapped.answer = (question, options) => decorate(engine.answer(question, options));
  wrapped.answerAsync = async (question, options) => decorate(await engine.answerAsync(question, options));
  wrapped.compare = (...args: Parameters<Engine['compare']>) => decorate(engine.compare(...args));
  wrapped.timeline = (...args: Parameters<Engine['timeline']>) => decorate(engine.timeline(...args));
  // An answer kept for Share or votes gets the notes as they are when it is recalled.
  wrapped.renew = decorate;
  return wrapped;
}

/**
 * Notes read from the database at `path`, opened read-only when it first exists (an ingest may
 * create it after start-up). A database that cannot be read gives no notes and one warning.
 */
export function databaseNotes(path: string, logger?: Logger): () => NotesSource | undefined {
  let live: NotesSource | undefined;
  let failedAt: number | undefined;
  return () => {
    // A failed open is retried after a minute: `npm start` migrates the database after this opens.
    if (live || (failedAt !== undefined && Date.now() - failedAt < 60_000)) return live;
    if (path !== ':memory:' && !existsSync(path)) return undefined;
    try {
      live = openSqliteStores(path, { readonly: true }).live;
    } catch (error) {
      if (failedAt === undefined)
        logger?.warn('corrections and copies not shown yet: database not readable', { path, error });
      failedAt = Date.now();
    }
    return live;
  };
}

/**
 * Notes read from PostgreSQL at `url` (DATABASE_URL): copies and corrections loaded into memory
 * now and refreshed every few seconds, so every replica's answers show what any replica recorded.
 * Tables not there yet (`npm start` migrates after this loads) or a server that cannot be reached
 * give no notes and one warning, and are tried again after a minute. Nothing here keeps the
 * process alive: one-shot commands exit as with SQLite.
 */
export async function postgresNotes(
  url: string,
  logger?: Logger,
  options: { schema?: string; refreshEveryMs?: number } = {},
): Promise<(() => NotesSource | undefined) & { close(): Promise<void> }> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    options: `-c search_path=${options.schema ?? 'public'}`,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  let live: PostgresLiveCorpusStore | undefined;
  let loading: Promise<void> | undefined;
  let failedAt: number | undefined;
  const load = () => {
    loading ??= createPostgresLiveCorpus(pool, {
      ...(logger && { logger }),
      ...(options.refreshEveryMs !== undefined && { refreshEveryMs: options.refreshEveryMs }),
    })
      .then(
        (store) => {
          live = store;
        },
        (error: unknown) => {
          if (failedAt === undefined)
            logger?.warn('corrections and copies not shown yet: database not readable', {
              url: redactUrl(url),
              error,
            });
          failedAt = Date.now();
        },
      )
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  await load();
  const source = () => {
    if (!live && !loading && failedAt !== undefined && Date.now() - failedAt >= 60_000) void load();
    return live;
  };
  return Object.assign(source, {
    async close() {
      await loading;
      live?.stop();
      await pool.end();
    },
  });
}
