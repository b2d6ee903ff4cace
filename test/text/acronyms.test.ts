import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createAcronymTable, expandAcronyms } from '../../src/text/acronyms.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const lexicon = createShippedLexicon();
const everyday = (word: string) => (lexicon.frequencyRank(word) ?? Number.POSITIVE_INFINITY) <= 20_000;
const texts = [
  'After World War II the city was rebuilt by its people.',
  'World War I began in 1914.',
  'The Intergovernmental Panel on Climate Change was set up in 1988.',
  'The Warsaw Stock Exchange reopened in April 1991.',
  'The economist Thorstein Veblen wrote about leisure.',
];
const table = createAcronymTable(texts, everyday);
const nothingKnown = () => false;

describe('acronyms the articles spell out', () => {
  it('reads initials, with a Roman numeral joined by a hyphen, a space or nothing', () => {
    expect(expandAcronyms('What happened after WWII?', table, nothingKnown)).toBe(
      'What happened after World War II?',
    );
    expect(expandAcronyms('After WW-II, who ruled?', table, nothingKnown)).toBe(
      'After World War II, who ruled?',
    );
    expect(expandAcronyms('Who fought in WW I?', table, nothingKnown)).toBe('Who fought in World War I?');
    expect(expandAcronyms('When did WWI begin?', table, nothingKnown)).toBe('When did World War I begin?');
    expect(expandAcronyms('When was the WSE reopened?', table, nothingKnown)).toBe(
      'When was the Warsaw Stock Exchange reopened?',
    );
  });

  it('skips the small words inside a name, and a capitalised first word of a sentence', () => {
    expect(expandAcronyms('Who chairs the IPCC?', table, nothingKnown)).toBe(
      'Who chairs the Intergovernmental Panel on Climate Change?',
    );
    // "The Warsaw Stock Exchange" is not "TWSE".
    expect(expandAcronyms('What is the TWSE?', table, nothingKnown)).toBe('What is the TWSE?');
  });

  it('takes only names ending in an everyday noun: people are not called by their initials', () => {
    expect(expandAcronyms('What is on TV tonight?', table, nothingKnown)).toBe('What is on TV tonight?');
  });

  it('leaves an acronym the corpus uses itself, and one with no name or two equally used names', () => {
    expect(expandAcronyms('What did the IPCC say?', table, (a) => a === 'IPCC')).toBe(
      'What did the IPCC say?',
    );
    expect(expandAcronyms('What does NASA do?', table, nothingKnown)).toBe('What does NASA do?');
    const tie = createAcronymTable(
      ['The Black Sea Fleet sailed.', 'The Baltic Security Force met.'],
      everyday,
    );
    expect(expandAcronyms('Where is the BSF?', tie, nothingKnown)).toBe('Where is the BSF?');
  });

  it('lets the engine answer a question that uses the acronym (declined with it off)', () => {
    const documents = [
      makeDocument('warsaw', texts.slice(0, 4).join(' ')),
      makeDocument('leisure', 'The economist Thorstein Veblen wrote about leisure in 1899.'),
    ];
    const question = 'When was the city rebuilt after WWII?';
    const on = createEngine(documents, { lexicon });
    const off = createEngine(documents, { lexicon, acronyms: false });
    expect(off.answer(question).answered).toBe(false);
    const answer = on.answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('After World War II the city was rebuilt');
    // The question shown is the one asked.
    expect(answer.question).toBe(question);
  });

  it('takes in the names of an article added after the table was built', () => {
    const engine = createEngine([makeDocument('war', texts[0]!), makeDocument('leisure', texts[4]!)], {
      lexicon,
    });
    // The first acronym question builds the table.
    expect(engine.answer('When was the city rebuilt after WWII?').answered).toBe(true);
    const question = 'When did the WSE reopen?';
    expect(engine.answer(question).answered).toBe(false);
    engine.upsert(makeDocument('exchange', texts[3]!));
    const answer = engine.answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('The Warsaw Stock Exchange reopened in April 1991.');
  });

  it('reads the table in slices when prepared in the background: no expansion until it is complete', () => {
    const engine = createEngine(
      [
        makeDocument('leisure', texts[4]!),
        makeDocument('war', texts[0]!),
        makeDocument('exchange', texts[3]!),
      ],
      { lexicon },
    );
    const question = 'When was the city rebuilt after WWII?';
    expect(engine.prepareAcronyms(1)).toBe(false);
    // Begun but not complete: the question is read as typed, and nothing waits for the rest.
    expect(engine.answer(question).answered).toBe(false);
    // An article added meanwhile joins the table being read, once.
    engine.upsert(makeDocument('climate', texts[2]!));
    expect(engine.prepareAcronyms(1)).toBe(false);
    expect(engine.prepareAcronyms(1)).toBe(true);
    expect(engine.prepareAcronyms(1)).toBe(true);
    expect(engine.answer(question).answered).toBe(true);
    expect(engine.answer('When was the IPCC set up?').citations[0]?.snippet).toContain(
      'Intergovernmental Panel',
    );
  });
});
