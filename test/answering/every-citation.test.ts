import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { makeDocument } from '../helpers.ts';

// Two articles: one gives the figure asked for; the other shares the question's other words
// (Russia, Ukraine, exchanged, May) but says nothing of prisoners, the thing "how many" asks about.
const documents = [
  makeDocument(
    'prisoner-swap',
    'Russia and Ukraine exchanged 390 prisoners of war in May, officials in Kyiv said. The swap took two days.',
  ),
  makeDocument(
    'memorandum-drafts',
    'In May the delegations of Russia and Ukraine exchanged drafts of a memorandum in Istanbul. Neither side published them.',
  ),
  makeDocument('homecoming', 'By June, 390 prisoners of war were home again.'),
];
const question = 'How many prisoners did Russia and Ukraine exchange in May?';

describe('every citation holds what the question asks about', () => {
  it('cites a further passage only when it holds the focus, as the first must', () => {
    const answer = createEngine(documents).answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => c.docId)).toEqual(['prisoner-swap']);
  });

  // A further passage that holds the focus but not two concepts alone is still cited: see the
  // Wall Street Journal case in absent-words.test.ts.
  it('without the rule, the passage sharing only the other words is quoted too', () => {
    const answer = createEngine(documents, { ranking: { everyCitationAnswers: false } }).answer(question);
    expect(answer.citations.map((c) => c.docId)).toEqual(['prisoner-swap', 'memorandum-drafts']);
  });
});
