/**
 * The sentence model's part of the benchmark: what the model costs to load and per sentence
 * (batched and not) and per question, a vector fill within a time budget, answers with the
 * semantic signal (question embedded each time), and the snapshot with the vectors in it.
 */

import { createEngine } from '../src/answering/engine.ts';
import type { CorpusDocument } from '../src/corpus/schema.ts';
import { isPeacedeskError } from '../src/errors.ts';
import { loadSnapshot, saveSnapshot } from '../src/persistence/snapshot.ts';
import type { SentenceEncoder } from '../src/semantic/encoder.ts';
import { EMBED_BATCH } from '../src/semantic/fill.ts';
import { loadUseLite } from '../src/semantic/load-encoder.ts';
import { createSentenceVectors, type SentenceVectors } from '../src/semantic/vectors.ts';

/** Percentiles of a sample, in ms. */
export interface Timing {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** What the sentence model measured at one corpus size. */
export interface SemanticReport {
  model: string;
  loadMs: number;
  /** ms per sentence, embedding one at a time and in batches of EMBED_BATCH (on this corpus's sentences). */
  msPerSentenceSingle: number;
  msPerSentenceBatched: number;
  batch: number;
  /** Embedding one question, alone. */
  question: Timing;
  /** Distinct sentences in the corpus, and how many got a vector within the budget. */
  sentences: number;
  filled: number;
  fillMs: number;
  fillBudgetS: number;
  /** The whole fill at the measured batched rate, in minutes (extrapolated when not all were filled). */
  fullFillMinutes: number;
  /** answerAsync: the question embedded, then ranked with the vectors filled. */
  answer: Timing;
  answered: number;
  /** The snapshot holding the filled vectors. */
  snapshotMB: number;
  snapshotSaveMs: number;
  snapshotLoadMs: number;
  /** Bytes the snapshot grew by per sentence vector (int8 components and key). */
  snapshotBytesPerSentence: number;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    p50: round(at(0.5), 2),
    p99: round(at(0.99), 2),
    max: round(sorted.at(-1)!, 2),
    mean: round(samples.reduce((s, x) => s + x, 0) / samples.length, 2),
  };
}

async function fill(
  encoder: SentenceEncoder,
  vectors: SentenceVectors,
  texts: readonly string[],
  budgetMs: number,
): Promise<{ filled: number; ms: number }> {
  const started = performance.now();
  let filled = 0;
  for (let i = 0; i < texts.length && performance.now() - started < budgetMs; i += EMBED_BATCH) {
    const batch = texts.slice(i, i + EMBED_BATCH);
    const out = await encoder.embed(batch);
    batch.forEach((text, j) => {
      vectors.set(text, out[j]!);
    });
    filled += batch.length;
  }
  return { filled, ms: performance.now() - started };
}

/**
 * Measure the model over `documents` (whose index snapshot without vectors is at `path`), then
 * leave at `path` a snapshot with the vectors filled, for the start-up probes.
 */
export async function measureSemantic(
  documents: readonly CorpusDocument[],
  path: string,
  questions: readonly string[],
  fillBudgetS: number,
  lexicalSnapshotBytes: number,
): Promise<SemanticReport> {
  const loadStart = performance.now();
  const encoder = await loadUseLite();
  const loadMs = performance.now() - loadStart;

  const loaded = await loadSnapshot(path, documents);
  if (!('state' in loaded)) throw new Error(`bench: snapshot not reusable: ${loaded.reason}`);
  const vectors = createSentenceVectors(encoder.id, encoder.dimensions);
  const questionVectors = new Map<string, Float32Array>();
  const engine = createEngine(documents, {
    restore: loaded.state,
    semantic: { encoder, vectors, questionVectors },
  });
  const texts = engine.unembedded();

  // Cost per sentence on sentences that are not filled below (the end of the list).
  const sample = texts.slice(-4 * EMBED_BATCH);
  await encoder.embed(sample.slice(0, 4));
  let t = performance.now();
  for (const text of sample.slice(0, EMBED_BATCH)) await encoder.embed([text]);
  const msPerSentenceSingle = (performance.now() - t) / EMBED_BATCH;
  t = performance.now();
  for (let i = 0; i < sample.length; i += EMBED_BATCH) await encoder.embed(sample.slice(i, i + EMBED_BATCH));
  const msPerSentenceBatched = (performance.now() - t) / sample.length;
  const questionTimes: number[] = [];
  for (const q of questions.slice(0, 200)) {
    t = performance.now();
    await encoder.embed([q]);
    questionTimes.push(performance.now() - t);
  }

  const filled = await fill(encoder, vectors, texts, fillBudgetS * 1000);

  const answerOnce = async (q: string) => {
    try {
      return (await engine.answerAsync(q)).answered;
    } catch (error) {
      if (isPeacedeskError(error)) return false;
      throw error;
    }
  };
  for (const q of questions.slice(0, 50)) await answerOnce(q);
  // Each question timed is new to the engine: its embedding is part of the time.
  questionVectors.clear();
  let answered = 0;
  const times: number[] = [];
  for (const q of questions) {
    t = performance.now();
    if (await answerOnce(q)) answered++;
    times.push(performance.now() - t);
  }

  t = performance.now();
  const bytes = await saveSnapshot(path, documents, engine.exportState(), vectors.exportState());
  const snapshotSaveMs = performance.now() - t;
  t = performance.now();
  const again = await loadSnapshot(path, documents);
  if (!('state' in again) || again.vectors?.keys.length !== vectors.size)
    throw new Error('bench: vectors not restored from the snapshot');
  createSentenceVectors(encoder.id, encoder.dimensions, again.vectors);
  const snapshotLoadMs = performance.now() - t;

  return {
    model: encoder.id,
    loadMs: round(loadMs, 0),
    msPerSentenceSingle: round(msPerSentenceSingle, 2),
    msPerSentenceBatched: round(msPerSentenceBatched, 2),
    batch: EMBED_BATCH,
    question: timing(questionTimes),
    sentences: texts.length,
    filled: filled.filled,
    fillMs: round(filled.ms, 0),
    fillBudgetS,
    fullFillMinutes: round(((filled.ms / Math.max(1, filled.filled)) * texts.length) / 60000),
    answer: timing(times),
    answered,
    snapshotMB: round(bytes / 1048576),
    snapshotSaveMs: round(snapshotSaveMs, 0),
    snapshotLoadMs: round(snapshotLoadMs, 0),
    snapshotBytesPerSentence: round((bytes - lexicalSnapshotBytes) / Math.max(1, vectors.size), 0),
  };
}
