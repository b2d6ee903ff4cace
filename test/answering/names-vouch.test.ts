import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const lexicon = createShippedLexicon();
// The corpus knows "located" and "profession" (else they are no trace and decline alone), and
// enough other sentences that a name in one of them is specific (in at most one sentence in ten).
const filler = [
  'The city council met on Monday.',
  'Its members argued about the budget for schools.',
  'Trams run through the old town every few minutes.',
  'The river floods in spring most years.',
  'Tourists visit the castle in summer.',
  'The mayor spoke about housing and roads.',
  'New bridges were opened in the north.',
  'Teaching is a respected profession in the city.',
  'Markets sell bread, fish and flowers.',
  'The airport is located south of the centre.',
  'Many parks line the river banks.',
  'The opera house reopened after repairs.',
  'A new museum tells the story of the city.',
  'The zoo was founded a century ago.',
  'Street names changed several times in the last century.',
  'The United States embassy stands near the park.',
  'Students from the United States study at the university.',
  'Football is the most popular sport in the city.',
].join(' ');
const documents = [
  makeDocument(
    'city',
    `${filler} The Congress Hall stands inside the Palace of Culture and Science. Nathan Alterman was a poet and a playwright.`,
  ),
];
const on = createEngine(documents, { lexicon });
const off = createEngine(documents, { lexicon, ranking: { namesVouch: false } });

describe('a specific name of several words vouches for the question', () => {
  it.each([
    ['Where is the Congress Hall located?', 'Palace of Culture and Science'],
    ['What profession was Nathan Alterman?', 'a poet'],
  ])('answers "%s" from the sentence naming it (declined with namesVouch off)', (question, expected) => {
    expect(off.answer(question).answered).toBe(false);
    const answer = on.answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain(expected);
  });

  it('not a name whose words are in many sentences', () => {
    // "United States" is in two sentences of twenty: not specific enough to say what is asked.
    const question = 'Where is the United States located?';
    expect(
      createEngine(documents, { lexicon, ranking: { requireTwoConcepts: false } }).answer(question).answered,
    ).toBe(true);
    expect(on.answer(question).answered).toBe(false);
  });
});
