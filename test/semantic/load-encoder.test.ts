import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { loadSentenceEncoder, loadUseLite, USE_LITE_ID } from '../../src/semantic/load-encoder.ts';
import { cosine, quantize } from '../../src/semantic/vectors.ts';

describe('sentence model', () => {
  it('is off when configured off, without loading anything', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      throw new Error('not reached');
    };
    expect(await loadSentenceEncoder('off', createLogger('silent'), load)).toBeUndefined();
    expect(loads).toBe(0);
  });

  it('is skipped with one warning when it cannot load', async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
    const encoder = await loadSentenceEncoder('use-lite', logger, async () => {
      throw new Error("Cannot find package '@energetic-ai/embeddings'");
    });
    expect(encoder).toBeUndefined();
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  // The real model, from the weights in node_modules (no network: its source is file://).
  it('loads Universal Sentence Encoder Lite and ranks a paraphrase above an unrelated sentence', async () => {
    const encoder = await loadUseLite();
    expect(encoder.id).toBe(USE_LITE_ID);
    const [question, paraphrase, unrelated, empty] = await encoder.embed([
      'How many soldiers may Ukraine keep?',
      "The plan caps Ukraine's armed forces at 600,000 troops.",
      'Bakeries in Lyon sold more croissants this winter.',
      '',
    ]);
    expect(question).toHaveLength(512);
    expect(empty).toHaveLength(512);
    const close = cosine(question!, paraphrase!);
    expect(close).toBeGreaterThan(cosine(question!, unrelated!) + 0.2);
    // int8 keeps the order and nearly the value.
    expect(Math.abs(cosine(question!, quantize(paraphrase!)) - close)).toBeLessThan(0.01);
  }, 60_000);
});
