import type { Engine } from '../answering/engine.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service.ts';
import { progressLine } from './fill.ts';

/** Embeds sentences elsewhere: see `embedInChild` in src/cli/index-in-child.ts. */
export type EmbedElsewhere = (
  texts: readonly string[],
  onVectors: (texts: string[], vectors: Int8Array) => void,
) => { done: Promise<void>; stop: () => void };

/** Options of {@link createVectorFillService}. */
export interface VectorFillServiceOptions {
  engine: Engine;
  logger: Logger;
  /** Where to embed many sentences; without it (or on failure) they are embedded in this process. */
  elsewhere?: EmbedElsewhere;
  /** Fewer missing vectors than this are computed here (a child costs ~1 s to start). Default 2,000. */
  elsewhereFrom?: number;
  /** Log progress every this many sentences. Default 10,000, or a tenth of a smaller fill. */
  progressEvery?: number;
  /** Called once every sentence has a vector (e.g. to save the snapshot). */
  onFilled?: () => void;
}

/**
 * A service that computes the vectors of every sentence that has none, after start-up, while
 * the engine answers (lexically for those sentences), logging "sentence vectors: n / total".
 */
export function createVectorFillService(
  options: VectorFillServiceOptions,
): Service & { done: Promise<void> } {
  const { engine, logger } = options;

  let stopChild: (() => void) | undefined;
  let stopped = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const fill = async () => {
    const vectors = engine.vectors;
    const texts = engine.unembedded();
    if (!vectors || texts.length === 0) return;
    const total = texts.length;
    // A line every 10,000 sentences (each ~1.5 min here), or every tenth of a smaller fill.
    const progressEvery = options.progressEvery ?? Math.min(10_000, Math.max(500, Math.ceil(total / 10)));
    const started = Date.now();
    logger.info(progressLine(0, total));
    if (options.elsewhere && total >= (options.elsewhereFrom ?? 2000)) {
      let received = 0;
      let nextLog = progressEvery;
      const run = options.elsewhere(texts, (batch, data) => {
        const d = vectors.dimensions;
        batch.forEach((text, i) => {
          vectors.set(text, data.subarray(i * d, (i + 1) * d));
        });
        received += batch.length;
        if (received >= nextLog) {
          logger.info(progressLine(received, total));
          nextLog = received + progressEvery;
        }
      });
      stopChild = run.stop;
      try {
        await run.done;
      } catch (error) {
        if (stopped) return;
        logger.warn('sentence vectors not computed in a separate process; computing here', { error });
      }
      stopChild = undefined;
    }
    if (stopped) return;
    await engine.embedSentences();
    logger.info(`${progressLine(total, total)} (done in ${Math.round((Date.now() - started) / 1000)} s)`);
    options.onFilled?.();
  };

  return {
    name: 'sentence-vectors',
    done,
    async start() {
      void fill()
        .catch((error: unknown) => logger.warn('sentence vectors not computed', { error }))
        .finally(finish);
    },
    async stop() {
      stopped = true;
      stopChild?.();
    },
  };
}
