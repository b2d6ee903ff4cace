import { type FSWatcher, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusFileError, parseDocument } from '../corpus/parse-document.ts';
import type { CorpusDocument } from '../corpus/schema.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service.ts';
import { caseVariantProblem, isArticleFileName, isCaseVariantName } from './load-corpus.ts';
import { readCorpusFile } from './read-corpus-file.ts';

/** The part of the engine the watcher updates. */
export interface UpdatableIndex {
  document(docId: string): CorpusDocument | undefined;
  upsert(document: CorpusDocument): void;
  remove(docId: string): boolean;
  articles(): ReadonlyArray<{ docId: string }>;
}

/** What one round of re-indexing did. */
export interface CorpusUpdate {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files that could not be used; a previously indexed version of the article stays. */
  skipped: Array<{ path: string; problem: string }>;
}

/** Options of {@link createCorpusWatcher}. */
export interface CorpusWatcherOptions {
  /** The corpus folder (`corpus/`). */
  dir: string;
  /** The engine to keep in step with the folder. */
  index: UpdatableIndex;
  logger: Logger;
  /** Quiet time after the last file event before re-indexing, so a file being written is read once. Default 250 ms. */
  debounceMs?: number;
  /** Called after each round that changed or skipped something (e.g. to save a snapshot). */
  onUpdate?: (update: CorpusUpdate) => void;
}

const isArticleFile = (name: string) => isArticleFileName(name) || isCaseVariantName(name);

/**
 * A service that watches the corpus folder and re-indexes added, changed and removed articles
 * while the bot runs. Each article is swapped in with one synchronous `upsert`, so a question is
 * always answered from a whole index (before or after the change), never a half-updated one. A
 * file that fails to parse is logged and skipped; the rest of the index is untouched.
 */
export function createCorpusWatcher(options: CorpusWatcherOptions): Service {
  const { dir, index, logger } = options;
  const debounceMs = options.debounceMs ?? 250;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // File names to look at again; `null` means "rescan the whole folder".
  let pending: Set<string> | null = new Set();

  const schedule = (name: string | null) => {
    if (name === null) pending = null;
    else if (pending && isArticleFile(name)) pending.add(name);
    else if (pending) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(flush);
    }, debounceMs);
  };

  const flush = async () => {
    const names = pending;
    pending = new Set();
    const update: CorpusUpdate = { added: [], changed: [], removed: [], skipped: [] };
    try {
      await reindex(names ?? (await rescanNames()), update);
    } catch (error) {
      logger.error('corpus re-index failed', { dir, error });
    }
    reportUpdate(update, logger, options.onUpdate);
  };

  // Every article file now in the folder, plus every indexed article (to notice removals).
  const rescanNames = async (): Promise<Set<string>> => {
    const names = new Set((await readdir(dir)).filter(isArticleFile));
    for (const { docId } of index.articles()) names.add(`${docId}.md`);
    return names;
  };

  const reindex = async (names: Iterable<string>, update: CorpusUpdate) => {
    for (const name of names) await reindexFile({ dir, index, logger }, name, update);
  };

  return {
    name: 'corpus-watcher',
    async start() {
      if (watcher) return;
      watcher = watch(dir, { persistent: false }, (_event, name) => schedule(name ? String(name) : null));
      watcher.on('error', (error) => {
        logger.error('corpus watcher error; rescanning', { dir, error });
        schedule(null);
      });
      // Catch up with anything that changed between loading the corpus and starting to watch.
      schedule(null);
    },
    async stop() {
      watcher?.close();
      watcher = undefined;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Log a round that changed or skipped something, and tell the listener; a quiet round says nothing. */
function reportUpdate(
  update: CorpusUpdate,
  logger: Logger,
  onUpdate: CorpusWatcherOptions['onUpdate'],
): void {
  if (update.added.length + update.changed.length + update.removed.length + update.skipped.length === 0)
    return;
  logger.info('corpus updated', {
    added: update.added,
    changed: update.changed,
    removed: update.removed,
    skipped: update.skipped.length,
  });
  try {
    onUpdate?.(update);
  } catch (error) {
    logger.error('corpus update listener failed', { error });
  }
}

/**
 * Look at one corpus file again: index it when added or changed, remove its article when the
 * file is gone, or say in `update` why it was skipped (the article already served stays).
 */
async function reindexFile(
  { dir, index, logger }: Pick<CorpusWatcherOptions, 'dir' | 'index' | 'logger'>,
  name: string,
  update: CorpusUpdate,
): Promise<void> {
  const path = join(dir, name);
  if (isCaseVariantName(name)) {
    // Never an article (an `X.MD` once replaced the live `X.md` here): say so, loudly, each time.
    const { problem } = caseVariantProblem(path);
    update.skipped.push({ path, problem });
    logger.warn('corpus file skipped', { path, problem });
    return;
  }
  const file = await readCorpusFile(path);
  const { id } = file;
  if (file.error !== undefined) {
    const { error } = file;
    if (error.code !== 'ENOENT') {
      update.skipped.push({ path, problem: `cannot be read: ${error.message}` });
      logger.warn('corpus file skipped', { path, problem: error.message });
      return;
    }
    if (index.remove(id)) update.removed.push(id);
    return;
  }
  const previous = index.document(id);
  if (previous && previous.path !== path) {
    // The id is taken by another file: the article already served stays.
    const problem = `id "${id}" is already used by ${previous.path} (that article is kept; this file is not loaded)`;
    update.skipped.push({ path, problem });
    logger.error('corpus file skipped', { path, field: 'id', problem });
    return;
  }
  // Unchanged (fs.watch reports one write several times; a rescan sees every file): skip the parse.
  if (previous?.fileHash === file.fileHash) return;
  let document: CorpusDocument;
  try {
    document = parseDocument(path, file.text, file.fileHash);
  } catch (error) {
    if (!(error instanceof CorpusFileError)) throw error;
    const problem = error.field ? `${error.field} ${error.problem}` : error.problem;
    update.skipped.push({ path, problem });
    logger.warn('corpus file skipped', {
      path,
      field: error.field,
      problem: error.problem,
      kept: previous ? 'previous version' : 'nothing',
    });
    return;
  }
  try {
    index.upsert(document);
  } catch (error) {
    update.skipped.push({ path, problem: `could not be indexed: ${(error as Error).message}` });
    logger.error('corpus file not indexed', { path, error });
    return;
  }
  (previous ? update.changed : update.added).push(id);
}
