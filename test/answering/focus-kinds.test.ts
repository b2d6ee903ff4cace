import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const documents = [
  makeDocument(
    'french-colonies',
    'The French spread Catholicism in their colonies along with their language. Traders followed the missions.',
  ),
];
const question = 'What religion did the French spread in their colonies?';

describe('a kind of what "what X" asks for holds the focus', () => {
  it('knows the kinds and instances of a noun from WordNet', () => {
    const kinds = createShippedLexicon().kindsOf!('religion');
    expect(kinds).toEqual(expect.arrayContaining(['christianity', 'catholicism', 'islam']));
    expect(kinds).not.toContain('religion');
  });

  it('answers "what religion" with the sentence naming one', () => {
    const answer = createEngine(documents).answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('Catholicism');
  });

  it('declines without the kinds: the article never says "religion"', () => {
    expect(createEngine(documents, { ranking: { focusKinds: false } }).answer(question).answered).toBe(false);
  });

  it('a kind of another noun does not vouch', () => {
    expect(
      createEngine(documents).answer('What weapon did the French spread in their colonies?').answered,
    ).toBe(false);
  });
});
