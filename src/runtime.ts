import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { databaseNotes, postgresNotes, withAnswerNotes } from './corpus/answer-notes.ts';
import { type CorpusProblem, caseVariantProblems, loadCorpus } from './corpus/load-corpus.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import { loadCorpusWithSnapshot, logSnapshotMiss, saveSnapshot, snapshotPath } from './engine/snapshot.ts';
import type { Logger } from './logger.ts';

/** The core every surface shares: the engine over the loaded corpus, and what was skipped. */
export interface Core {
  engine: Engine;
  problems: CorpusProblem[];
}

/** Options of {@link createCore}. */
export interface CoreOptions {
  /**
   * Restore the index from `<dataDir>/index-snapshot.bin` when the corpus is unchanged, and save
   * one after a fresh build (for `npm start`; one-shot CLIs leave it off).
   */
  snapshot?: boolean;
  /** "Today" for the engine ("what has changed since August?"); the same clock the adapters get. */
  clock?: Clock;
  /**
   * With `snapshot`: when the snapshot is missing or stale, have it built elsewhere (`npm start`
   * runs itself with `--build-index` in a child process), then restore from it, so the build's
   * memory peak (~600 MB RSS at 10k articles, against ~300 MB restored) never stays with the
   * long-running bot. If that fails, the index is built here as before. Small corpora are built
   * here anyway: below `fromArticles` a child process costs more time than the peak is worth.
   */
  buildSnapshot?: { run: () => Promise<void>; fromArticles: number };
}

/** Load the corpus from `config.corpusDir` and build the engine over it (or restore it from a snapshot). */
export async function createCore(
  config: Pick<Config, 'corpusDir' | 'maxCitations' | 'dataDir'> & {
    databasePath?: string;
    databaseUrl?: string | undefined;
  },
  logger: Logger,
  options: CoreOptions = {},
): Promise<Core> {
  const path = snapshotPath(config.dataDir);
  let { documents, problems, snapshot } = options.snapshot
    ? await loadCorpusWithSnapshot(config.corpusDir, path, logger)
    : { ...(await loadCorpus(config.corpusDir, logger)), snapshot: undefined };
  const elsewhere = options.buildSnapshot;
  if (snapshot && 'miss' in snapshot && elsewhere && documents.length >= elsewhere.fromArticles) {
    logSnapshotMiss(logger, path, snapshot);
    try {
      const started = Date.now();
      await elsewhere.run();
      // Read again (its problems were logged the first time): files may have changed meanwhile.
      ({ documents, problems, snapshot } = await loadCorpusWithSnapshot(config.corpusDir, path));
      logger.info('index built in a separate process', { ms: Date.now() - started });
    } catch (error) {
      logger.warn('index not built in a separate process; building here', { error });
    }
  }
  if (options.snapshot) {
    // The snapshot loader lists articles only; `.MD`-like files still deserve a loud warning.
    const misnamed = await caseVariantProblems(config.corpusDir);
    for (const problem of misnamed)
      logger.warn('corpus file skipped', { path: problem.path, problem: problem.problem });
    problems = [...problems, ...misnamed];
  }
  const engineOptions = {
    maxCitations: config.maxCitations,
    logger,
    ...(options.clock && { clock: options.clock }),
  };
  let engine: Engine | undefined;
  if (snapshot) {
    const loaded = snapshot;
    if ('state' in loaded) {
      try {
        engine = createEngine(documents, { ...engineOptions, restore: loaded.state });
        logger.info('index snapshot restored', { path });
      } catch (error) {
        logSnapshotMiss(logger, path, { miss: 'corrupt', reason: (error as Error).message });
      }
    } else {
      logSnapshotMiss(logger, path, loaded);
    }
  }
  if (!engine) {
    engine = createEngine(documents, engineOptions);
    if (options.snapshot) {
      await saveSnapshot(path, documents, engine.exportState()).then(
        (bytes) => logger.info('index snapshot saved', { path, bytes }),
        (error: unknown) => logger.warn('index snapshot not saved', { path, error }),
      );
    }
  }
  if (documents.length === 0) {
    logger.warn('corpus is empty: every question will be declined until articles are added', {
      dir: config.corpusDir,
      hint: 'add <id>.md files with front matter, or run npm run ingest',
    });
  }
  // Copies and corrections (issue 16) live in the database; every answer gets them attached.
  // With DATABASE_URL they are in PostgreSQL, the stores' backend then; the SQLite file otherwise.
  if (config.databaseUrl) engine = withAnswerNotes(engine, await postgresNotes(config.databaseUrl, logger));
  else if (config.databasePath) engine = withAnswerNotes(engine, databaseNotes(config.databasePath, logger));
  logger.info('corpus loaded', {
    documents: documents.length,
    passages: engine.passageCount,
    skipped: problems.length,
  });
  return { engine, problems };
}

/** One line per skipped corpus file, for people: "corpus/x.md: title is missing (skipped)". */
export function describeProblems(problems: readonly CorpusProblem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.field ? `${p.field} ${p.problem}` : p.problem} (skipped)`);
}
