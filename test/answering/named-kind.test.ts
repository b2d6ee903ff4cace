import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { holdsNamedKind, namedKindOf } from '../../src/answering/question.ts';
import { makeDocument } from '../helpers.ts';

describe('the expression a question names for its answer', () => {
  it('reads it from the question', () => {
    expect(namedKindOf('In what year did the war end?')).toBe('year');
    expect(namedKindOf('What date is the summit set for?')).toBe('date');
    expect(namedKindOf('On which day did they meet?')).toBe('day');
    expect(namedKindOf('how long did the talks last')).toBe('duration');
    expect(namedKindOf('What share of Donbas does Russia hold?')).toBe('share');
    expect(namedKindOf('When did the talks start?')).toBeUndefined();
    expect(namedKindOf('What did the envoy say about the date?')).toBeUndefined();
  });

  it('finds it in a sentence', () => {
    expect(holdsNamedKind('year', 'It was built in the 1870s.')).toBe(true);
    expect(holdsNamedKind('year', 'It was built by the French.')).toBe(false);
    expect(holdsNamedKind('date', 'They met on August 6 in Moscow.')).toBe(true);
    expect(holdsNamedKind('date', 'He said on Monday he had begun arranging a meeting.')).toBe(false);
    expect(holdsNamedKind('day', 'He said on Monday he had begun arranging a meeting.')).toBe(true);
    expect(holdsNamedKind('duration', 'It ran from 1870 to 1939.')).toBe(true);
    expect(holdsNamedKind('duration', 'The three-hour meeting ended.')).toBe(true);
    expect(holdsNamedKind('duration', 'Witkoff met Putin on August 6 with Ushakov.')).toBe(false);
    expect(holdsNamedKind('share', 'Russia controls about 88% of the Donbas.')).toBe(true);
  });
});

describe('a question naming its answer expression is answered only by a quote that holds one', () => {
  const documents = [
    makeDocument(
      'summit-plans',
      'The trilateral summit with the Russian and Ukrainian leaders is set for later this autumn, Trump said. The venue was not announced.',
    ),
    makeDocument('ceasefire-talks', 'The ceasefire talks in Riyadh began on March 11 and lasted two days.'),
  ];
  const engine = createEngine(documents);

  it('declines "what date" when the quote on the topic gives none', () => {
    expect(engine.answer('What date is the trilateral summit set for?').answered).toBe(false);
  });

  it('answers when the quote holds one', () => {
    const answer = engine.answer('What date did the ceasefire talks in Riyadh begin?');
    expect(answer.citations[0]?.snippet).toContain('March 11');
    expect(engine.answer('How long did the ceasefire talks in Riyadh last?').answered).toBe(true);
  });

  it('without the rule, the summit sentence is quoted', () => {
    const loose = createEngine(documents, { ranking: { namedKindHeld: false } });
    expect(loose.answer('What date is the trilateral summit set for?').answered).toBe(true);
  });
});
