import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { DEFAULT_RANKING } from '../../src/answering/rank.ts';
import { createLogger } from '../../src/logger.ts';
import type { SentenceEncoder } from '../../src/semantic/encoder.ts';
import { makeDocument } from '../helpers.ts';
import { createWordEncoder } from './word-encoder.ts';

const documents = [
  makeDocument(
    'army-cap',
    'The draft caps the army at 600,000 troops. Troops would leave the Donbas within a month.',
  ),
  makeDocument(
    'pensions',
    'Donors would pay pensions to soldiers wounded in the war. The army pays nothing.',
  ),
];
const groups = [['soldiers', 'troops']];
const QUESTION = 'How many soldiers may the army keep?';

describe('engine with a sentence model', () => {
  it('answers as before without one', async () => {
    const engine = createEngine(documents);
    expect(engine.vectors).toBeUndefined();
    expect(engine.unembedded()).toEqual([]);
    expect(await engine.answerAsync(QUESTION)).toEqual(engine.answer(QUESTION));
  });

  it('answers lexically while no sentence has a vector', async () => {
    const engine = createEngine(documents, { semantic: { encoder: createWordEncoder(groups) } });
    expect(engine.unembedded()).toHaveLength(4);
    expect(await engine.answerAsync(QUESTION)).toEqual(createEngine(documents).answer(QUESTION));
  });

  it('adds weights.semantic × cosine once the sentences have vectors', async () => {
    const engine = createEngine(documents, { semantic: { encoder: createWordEncoder(groups) } });
    const lexical = createEngine(documents).explain(QUESTION);
    await engine.embedSentences();
    expect(engine.unembedded()).toEqual([]);
    await engine.embedQuestions([QUESTION]);
    const ranked = engine.explain(QUESTION);
    expect(ranked).toHaveLength(lexical.length);
    for (const s of ranked) {
      const before = lexical.find((l) => l.passage.id === s.passage.id)!;
      expect(s.semantic).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeCloseTo(before.score + DEFAULT_RANKING.weights.semantic! * s.semantic!, 6);
    }
  });

  it('ranks by meaning when the semantic weight dominates', async () => {
    const encoder = createWordEncoder(groups);
    const heavy = { ranking: { weights: { ...DEFAULT_RANKING.weights, semantic: 10 } } };
    const engine = createEngine(documents, { ...heavy, semantic: { encoder } });
    await engine.embedSentences();
    const answer = await engine.answerAsync('Where would the troops go?');
    const ranked = engine.explain('Where would the troops go?');
    const best = Math.max(...ranked.map((s) => s.semantic!));
    expect(ranked[0]!.semantic).toBe(best);
    expect(answer.citations[0]?.snippet).toContain(ranked[0]!.passage.text);
  });

  it('embeds a question once, and an upserted article in the background, only its new sentences', async () => {
    const calls: string[][] = [];
    const engine = createEngine(documents, { semantic: { encoder: createWordEncoder(groups, calls) } });
    await engine.embedSentences();
    calls.length = 0;
    await engine.answerAsync(QUESTION);
    await engine.answerAsync(`  ${QUESTION} `);
    expect(calls).toEqual([[QUESTION]]);
    calls.length = 0;
    engine.upsert(
      makeDocument('army-cap', 'The draft caps the army at 600,000 troops. Kyiv rejected the cap on Friday.'),
    );
    expect(engine.unembedded()).toEqual(['Kyiv rejected the cap on Friday.']);
    await engine.embedSentences();
    expect(calls.flat()).toEqual(['Kyiv rejected the cap on Friday.']);
  });

  it('can embed just the candidates a question needs, giving the answer a full fill gives', async () => {
    const calls: string[][] = [];
    const filled = createEngine(documents, { semantic: { encoder: createWordEncoder(groups) } });
    await filled.embedSentences();
    const encoder = createWordEncoder(groups, calls);
    const onDemand = createEngine(documents, { semantic: { encoder, embedCandidates: true } });
    expect(await onDemand.answerAsync(QUESTION)).toEqual(await filled.answerAsync(QUESTION));
    const embedded = calls.slice(1).flat();
    expect(embedded.length).toBeGreaterThan(0);
    expect(embedded.every((t) => !onDemand.unembedded().includes(t))).toBe(true);
  });

  it('answers lexically, with a warning, when the question cannot be embedded', async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    const broken: SentenceEncoder = {
      id: 'broken',
      dimensions: 4,
      embed: async () => {
        throw new Error('model crashed');
      },
    };
    const engine = createEngine(documents, {
      logger: createLogger('debug', (line) => lines.push(JSON.parse(line))),
      semantic: { encoder: broken },
    });
    expect(await engine.answerAsync(QUESTION)).toEqual(createEngine(documents).answer(QUESTION));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'question not embedded; answering lexically' }),
    );
    await expect(engine.answerAsync('  ')).rejects.toThrow();
  });
});
