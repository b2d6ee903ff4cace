import type { Logger } from '../logger.ts';
import type { SentenceEncoder } from './encoder.ts';
import type { SentenceVectors } from './vectors.ts';

/** Sentences per call to the encoder: 32 costs ~9 ms a sentence here, one at a time ~16. */
export const EMBED_BATCH = 32;

/** Options of {@link createVectorFiller}. */
export interface VectorFillerOptions {
  encoder: SentenceEncoder;
  vectors: SentenceVectors;
  logger: Logger;
  /** Default {@link EMBED_BATCH}. */
  batchSize?: number;
  /** Log progress every this many sentences (default 10,000); a small fill logs only when done. */
  progressEvery?: number;
}

/** Computes sentence vectors in the background, one batch at a time, between other work. */
export interface VectorFiller {
  /** Queue sentences whose vector is missing (others are skipped). */
  add(texts: Iterable<string>): void;
  /** Sentences queued and not yet embedded. */
  readonly pending: number;
  /** Resolves once the queue is empty. */
  idle(): Promise<void>;
}

/** `12,000 / 170,000`: how a fill's progress is logged. */
export function progressLine(done: number, total: number): string {
  return `sentence vectors: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`;
}

/**
 * A queue that embeds sentences in batches and stores their vectors. Each batch blocks this
 * thread for its duration (~0.3 s for 32 sentences), and the next waits for the event loop to
 * turn, so answers interleave with a fill. A batch that fails is logged and dropped: those
 * sentences are scored lexically.
 */
export function createVectorFiller(options: VectorFillerOptions): VectorFiller {
  const { encoder, vectors, logger } = options;
  const batchSize = options.batchSize ?? EMBED_BATCH;
  const progressEvery = options.progressEvery ?? 10_000;
  const queue: string[] = [];
  const queued = new Set<string>();
  let running: Promise<void> | undefined;
  let done = 0;
  let total = 0;
  let nextLog = progressEvery;

  const run = async () => {
    while (queue.length) {
      await new Promise((resolve) => setImmediate(resolve));
      const batch = queue.splice(0, batchSize);
      try {
        const out = await encoder.embed(batch);
        batch.forEach((text, i) => {
          vectors.set(text, out[i]!);
        });
      } catch (error) {
        logger.warn('sentence vectors not computed for a batch', { sentences: batch.length, error });
      }
      for (const text of batch) queued.delete(text);
      done += batch.length;
      if (done >= nextLog || queue.length === 0) {
        if (total >= progressEvery) logger.info(progressLine(done, total));
        nextLog = done + progressEvery;
      }
    }
    done = 0;
    total = 0;
    nextLog = progressEvery;
    running = undefined;
  };

  return {
    add(texts) {
      for (const text of texts) {
        if (queued.has(text) || vectors.has(text)) continue;
        queued.add(text);
        queue.push(text);
        total++;
      }
      if (queue.length && !running) running = run();
    },
    get pending() {
      return queue.length;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
