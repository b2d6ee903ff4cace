import { describe, expect, it } from 'vitest';
import { analyzeQuestion, answerKindMatch, answerKindOf } from '../../src/answering/question.ts';
import type { Lexicon } from '../../src/text/lexicon.ts';

const lexicon: Lexicon = {
  frequencyRank: (word) => ({ soldiers: 2000, brazil: 6000, sourdough: 29_000 })[word.toLowerCase()],
  synonyms: (word) =>
    ({ soldiers: ['infantry'], 'turn down': ['reject'], 'come back': ['return'], 'come home': ['arrive'] })[
      word
    ] ?? [],
  phrases: (word) => (word === 'require' ? ['call for'] : []),
  lemmas: (word) => ({ focused: ['focus'], focus: ['focus'], given: ['given', 'give'] })[word] ?? [],
  irregularForms: () => [],
};

describe('answerKindOf', () => {
  it.each([
    ['How many troops does Ukraine have?', 'quantity'],
    ['What share of the Donbas does Russia hold?', 'share'],
    ['What percentage of voters back the plan?', 'share'],
    ['When did Witkoff meet Putin?', 'date'],
    ['Who is Yuri Ushakov?', 'person'],
    ['Which regions would Moscow hand over?', 'place'],
    ['Why do Ukrainians oppose the plan?', 'reason'],
    ['Did the White House deny the report?', 'other'],
    // An organisation is answered by a name, as a person is.
    ['Which newspaper first reported the offer?', 'person'],
    ['What agency confirmed the figures?', 'person'],
  ])('%s -> %s', (question, kind) => {
    expect(answerKindOf(question)).toBe(kind);
  });
});

describe('answerKindMatch', () => {
  it('wants a proportion, not just any number, for a share', () => {
    expect(answerKindMatch('share', 'Ukraine still holds about 14% of the region.')).toBe(1);
    expect(answerKindMatch('share', 'Russia holds a fifth of the country.')).toBe(1);
    expect(answerKindMatch('share', 'Three sources said Russia wants the region.')).toBe(0);
    expect(answerKindMatch('quantity', 'Three sources said Russia wants the region.')).toBe(1);
  });

  it('reads years before 1900, decades and centuries as dates, not other numbers', () => {
    expect(answerKindMatch('date', 'The war began in 1754.')).toBe(1);
    expect(answerKindMatch('date', 'The term took its current meaning in the late 1870s.')).toBe(1);
    expect(answerKindMatch('date', 'The empire was at its height in the 16th century.')).toBe(1);
    expect(answerKindMatch('date', 'About 3,000 men and 374 companies were listed.')).toBe(0);
  });

  it('counts a noun for people as a "who" answer only with those nouns given', () => {
    const people = new Set(['king', 'aristotle']);
    const sentence = 'Bowman was crowned king in the north.';
    expect(answerKindMatch('person', sentence)).toBe(0);
    expect(answerKindMatch('person', sentence, people)).toBe(1);
    expect(answerKindMatch('person', 'The idea goes back to Aristotle.', people)).toBe(1);
    expect(answerKindMatch('person', 'The idea goes back a long way.', people)).toBe(0);
    // The nouns widen "who" alone.
    expect(answerKindMatch('date', sentence, people)).toBe(0);
  });
});

describe('analyzeQuestion', () => {
  it('marks the word that names the answer asked for', () => {
    const terms = analyzeQuestion('What share of the Donbas does Ukraine keep a share in?').terms;
    expect(terms.find((t) => t.surface === 'share')!.namesKind).toBe(true);
    expect(terms.find((t) => t.surface === 'Donbas')!.namesKind).toBe(false);
  });

  it('tells everyday words from names and rare words', () => {
    const terms = analyzeQuestion('How many soldiers does Brazil have, and how much sourdough?', {
      lexicon,
    }).terms;
    const of = (surface: string) => terms.find((t) => t.surface === surface)!;
    expect(of('soldiers')).toMatchObject({ common: true, name: false });
    expect(of('Brazil')).toMatchObject({ common: false, name: true });
    expect(of('sourdough')).toMatchObject({ common: false, name: false });
  });

  it('weighs generic question words less than the words that carry the question', () => {
    const terms = analyzeQuestion('What did Peskov say about Kherson?').terms;
    expect(terms.find((t) => t.surface === 'say')!.salience).toBeLessThan(1);
    expect(terms.find((t) => t.surface === 'Kherson')!.salience).toBe(1);
  });

  it('expands with curated and lexicon synonyms unless switched off', () => {
    const on = analyzeQuestion('Will the soldiers leave?', { lexicon }).terms[0]!;
    expect(on.synonyms).toContain('troop');
    expect(on.related).toContain('infantri');
    const off = analyzeQuestion('Will the soldiers leave?', {
      lexicon,
      synonyms: false,
      lexiconSynonyms: false,
    }).terms[0]!;
    expect(off.synonyms).toEqual([]);
    expect(off.related).toEqual([]);
  });
});

describe('analyzeQuestion: inflections and phrases', () => {
  const termOf = (question: string, surface: string) =>
    analyzeQuestion(question, { lexicon }).terms.find((t) => t.surface === surface)!;

  it('adds the inflections the stemmer takes to another term ("focused" vs "focus")', () => {
    expect(termOf('What did the talks focus on?', 'focus').forms).toContain('focus');
    expect(termOf('What were the talks focused on?', 'focused').forms).toContain('focu');
    expect(termOf('What demands were given?', 'given').forms).toContain('give');
    expect(termOf('Who leads the talks?', 'talks').forms).toEqual([]);
  });

  it("takes a phrasal verb as one word: its synonyms join the first word's, the particle or second word goes", () => {
    const turn = termOf('Did the council turn down the offer?', 'turn');
    expect(turn.synonyms).toContain('reject');
    const terms = analyzeQuestion('Did Zelensky come back with a deal?', { lexicon }).terms;
    expect(terms.find((t) => t.surface === 'come')!.synonyms).toContain('return');
    expect(terms.map((t) => t.surface)).not.toContain('back');
    // Only a particle makes a phrasal verb: "come home" is two words.
    expect(analyzeQuestion('Did Zelensky come home?', { lexicon }).terms.map((t) => t.surface)).toContain(
      'home',
    );
  });

  it("keeps a word's multi-word synonyms as a head term and the words that must follow it", () => {
    expect(termOf('What did the draft require?', 'require').phrases).toEqual([{ head: 'call', rest: 'for' }]);
    expect(
      analyzeQuestion('What did the draft require?', { lexicon, lexiconSynonyms: false }).terms.find(
        (t) => t.surface === 'require',
      )!.phrases,
    ).toEqual([]);
  });
});

describe('analyzeQuestion: curated phrases', () => {
  it('takes a curated member of several words as one term with its group\'s synonyms ("basic law")', () => {
    const terms = analyzeQuestion("Is joining NATO written into Ukraine's basic law?").terms;
    expect(terms.find((t) => t.surface === 'basic')!.synonyms).toContain('constitut');
    expect(terms.map((t) => t.surface)).not.toContain('law');
    // Its other words are still marked where a sentence has them.
    expect(terms.find((t) => t.surface === 'basic')!.phraseWords).toEqual(['law']);
    // Alone, "law" keeps its own synonyms and stays a term.
    expect(
      analyzeQuestion('Is it against the law?').terms.find((t) => t.surface === 'law')!.synonyms,
    ).toContain('constitut');
  });
});
