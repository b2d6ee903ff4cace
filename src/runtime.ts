import type { Config } from './config.ts';
import { type CorpusProblem, loadCorpus } from './corpus/load-corpus.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import type { Logger } from './logger.ts';

/** The core every surface shares: the engine over the loaded corpus, and what was skipped. */
export interface Core {
  engine: Engine;
  problems: CorpusProblem[];
}

/** Load the corpus from `config.corpusDir` and build the engine over it. */
export async function createCore(
  config: Pick<Config, 'corpusDir' | 'maxCitations'>,
  logger: Logger,
): Promise<Core> {
  const { documents, problems } = await loadCorpus(config.corpusDir, logger);
  const engine = createEngine(documents, { maxCitations: config.maxCitations, logger });
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
