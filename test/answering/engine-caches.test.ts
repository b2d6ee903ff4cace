import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { EMPTY_LEXICON } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const corpusA = [
  makeDocument('a1', 'Negotiators met in Geneva to discuss a ceasefire along the front line.'),
  makeDocument('a2', 'The envoy said the prisoner exchange would take place next week.'),
];
const corpusB = [
  makeDocument('b1', 'Farmers in the south reported a record harvest of sunflower seeds.'),
  makeDocument('b2', 'Grain exports through the Black Sea resumed after a long pause.'),
];

describe('engine caches', () => {
  it('keeps one engine’s token cache when another engine is built in the same process', () => {
    const a = createEngine(corpusA, { lexicon: EMPTY_LEXICON });
    const first = a.passages('a1')[0]!.tokens;
    expect(a.passages('a1')[0]!.tokens).toBe(first); // cached: the same objects on a second read
    // Building B reads every one of its passages and then clears its own cache of token objects.
    const b = createEngine(corpusB, { lexicon: EMPTY_LEXICON });
    expect(b.passages('b1')[0]!.tokens.map((t) => t.term)).toContain('harvest');
    expect(a.passages('a1')[0]!.tokens).toBe(first);
  });

  it('answers each engine from its own corpus only', () => {
    const a = createEngine(corpusA, { lexicon: EMPTY_LEXICON });
    const b = createEngine(corpusB, { lexicon: EMPTY_LEXICON });
    const fromA = a.answer('Where did negotiators discuss a ceasefire?');
    const fromB = b.answer('Where did negotiators discuss a ceasefire?');
    expect(fromA.citations.map((c) => c.docId)).toEqual(['a1']);
    expect(fromB.citations).toEqual([]);
    expect(b.answer('What did farmers harvest?').citations.map((c) => c.docId)).toEqual(['b1']);
    expect(a.answer('What did farmers harvest?').citations).toEqual([]);
  });

  it('gives the same passage terms whichever engine analysed a word first', () => {
    const text = 'The ceasefire talks in Geneva went on for three days.';
    const one = createEngine([makeDocument('x', text)], { lexicon: EMPTY_LEXICON });
    const two = createEngine([...corpusA, makeDocument('x', text)], { lexicon: EMPTY_LEXICON });
    const terms = (e: typeof one) => e.passages('x')[0]!.tokens.map((t) => [t.term, t.start, t.end]);
    expect(terms(two)).toEqual(terms(one));
  });
});
