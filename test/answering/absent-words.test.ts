import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import type { CorpusDocument } from '../../src/corpus/schema.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { shippedCorpus } from '../helpers.ts';

const lexicon = createShippedLexicon();
const things = (question: string) =>
  analyzeQuestion(question, { lexicon })
    .terms.filter((t) => t.thing && !t.name)
    .map((t) => t.surface);

describe('the things a question asks about', () => {
  it('are its nouns that are neither verbs nor adjectives in WordNet', () => {
    expect(things('Who is the US ambassador to NATO?')).toEqual(['ambassador']);
    expect(things('Does the draft require Russia to pay reparations?')).toEqual(['reparations']);
    // "monitor" and "pause" are verbs too, "big" and "rich" adjectives: paraphrased freely.
    expect(things('Who will monitor a pause?')).toEqual([]);
    expect(things('How big is the embassy of the rich?')).toEqual(['embassy']);
  });

  it('leave out the noun after "what" or "which", which names the kind of answer', () => {
    expect(things('Which newspaper reported the reparations?')).toEqual(['reparations']);
    expect(things('What was the turnout?')).toEqual(['turnout']);
  });
});

describe('refusal when a thing asked about is a word the corpus never uses', () => {
  let documents: CorpusDocument[];
  let on: Engine;
  let off: Engine;
  beforeAll(async () => {
    documents = await shippedCorpus();
    on = createEngine(documents);
    off = createEngine(documents, { ranking: { absentWordsBridged: false, speechReported: false } });
  });

  it.each(["What did Kirill Dmitriev say about Ukraine's elections?", 'Who is the US ambassador to NATO?'])(
    'declines "%s" (answered with the rule off)',
    (question) => {
      expect(off.answer(question).answered).toBe(true);
      expect(on.answer(question).answered).toBe(false);
    },
  );

  it.each([
    // "soldiers" is not in the corpus; its synonym "troops" is, in the sentence quoted.
    ["How many soldiers does Ukraine's military have today?", '880,000'],
    ["Which newspaper first reported Putin's two-stage offer?", 'Wall Street Journal'],
    // The best sentence names the talks; the one after it, quoted with it, the spokesperson.
    ['What did the Kremlin spokesman say about the Abu Dhabi talks?', 'Peskov'],
  ])('still answers "%s", where the passage names it another way', (question, quoted) => {
    const answer = on.answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => c.snippet).join(' ')).toContain(quoted);
  });
});
