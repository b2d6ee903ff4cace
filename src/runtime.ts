import { createEngine, type Engine } from './answering/engine.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { databaseNotes, postgresNotes, withAnswerNotes } from './corpus/answer-notes.ts';
import type { Logger } from './logger.ts';
import { type CorpusProblem, caseVariantProblems, loadCorpus } from './persistence/load-corpus.ts';
import {
  loadCorpusWithSnapshot,
  logSnapshotMiss,
  saveSnapshot,
  snapshotPath,
} from './persistence/snapshot.ts';
import type { SentenceEncoder } from './semantic/encoder.ts';
import { loadSentenceEncoder } from './semantic/load-encoder.ts';
import { createSentenceVectors } from './semantic/vectors.ts';

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
  /**
   * Load the sentence model (unless `config.semanticModel` is off) for the semantic signal, with
   * the vectors a snapshot holds. `candidates`: each question's candidates are embedded as
   * needed (one-shot CLIs); `later`: the missing vectors are left to the caller (`npm start`
   * computes them in a child process), and answers are lexical for sentences without one.
   */
  semantic?: 'candidates' | 'later';
  /** How to load the sentence model (default: the shipped one; tests inject a small one). */
  loadEncoder?: () => Promise<SentenceEncoder>;
}

/** Load the corpus from `config.corpusDir` and build the engine over it (or restore it from a snapshot). */
export async function createCore(
  config: Pick<Config, 'corpusDir' | 'maxCitations' | 'dataDir'> & {
    databasePath?: string;
    databaseUrl?: string | undefined;
  } & Partial<Pick<Config, 'semanticModel'>>,
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
  // Vectors saved before (with the index, or in a snapshot the corpus has since outgrown).
  const saved = snapshot?.vectors;
  const encoder = options.semantic
    ? await loadSentenceEncoder(config.semanticModel ?? 'use-lite', logger, options.loadEncoder)
    : undefined;
  const engineOptions = {
    maxCitations: config.maxCitations,
    logger,
    ...(options.clock && { clock: options.clock }),
  };
  // Vectors from another model (or none) are dropped, not the snapshot: they fill in again.
  const semanticOptions = () => {
    if (!encoder) return engineOptions;
    const usable = saved?.encoder === encoder.id && saved.dimensions === encoder.dimensions;
    let vectors: ReturnType<typeof createSentenceVectors> | undefined;
    try {
      vectors = usable ? createSentenceVectors(encoder.id, encoder.dimensions, saved) : undefined;
    } catch (error) {
      logger.warn('saved sentence vectors ignored', { error });
    }
    const embedCandidates = options.semantic === 'candidates';
    return { ...engineOptions, semantic: { encoder, embedCandidates, ...(vectors && { vectors }) } };
  };
  let engine: Engine | undefined;
  if (snapshot) {
    const loaded = snapshot;
    if ('state' in loaded) {
      try {
        engine = createEngine(documents, { ...semanticOptions(), restore: loaded.state });
        logger.info('index snapshot restored', { path });
      } catch (error) {
        logSnapshotMiss(logger, path, { miss: 'corrupt', reason: (error as Error).message });
      }
    } else {
      logSnapshotMiss(logger, path, loaded);
    }
  }
  if (!engine) {
    engine = createEngine(documents, semanticOptions());
    if (options.snapshot) {
      // Without the model here (the build in a child process), saved vectors are carried over.
      const vectors =
        engine.vectors ?? (saved && createSentenceVectors(saved.encoder, saved.dimensions, saved));
      vectors?.retain(documents.flatMap((d) => engine!.passages(d.id).map((p) => p.text)));
      await saveSnapshot(path, documents, engine.exportState(), vectors?.exportState()).then(
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
    ...(engine.vectors && { sentenceVectors: engine.vectors.size }),
  });
  return { engine, problems };
}

/** One line per skipped corpus file, for people: "corpus/x.md: title is missing (skipped)". */
export function describeProblems(problems: readonly CorpusProblem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.field ? `${p.field} ${p.problem}` : p.problem} (skipped)`);
}
