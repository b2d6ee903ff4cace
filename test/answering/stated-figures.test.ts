import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { makeDocument } from '../helpers.ts';

// The aid article gives a 2023 figure; a 2024 question shares every other word with it.
const documents = [
  makeDocument(
    'aid-figures',
    [
      'The United States spent $44 billion on military aid to Ukraine in 2023, the Pentagon said.',
      '',
      'Talks on a ceasefire resumed in Geneva in March. Washington then proposed a pause of 30 days.',
      '',
      'Officials met again in 2025. The delegations exchanged drafts.',
      '',
      'Moscow held talks with the Biden administration in late 2021.',
      '',
      'During those discussions, Russia asked for limits on exercises. Washington rejected several of these terms.',
    ].join('\n'),
  ),
];

describe('a figure the question states must be in what is quoted', () => {
  const engine = createEngine(documents);

  it('answers when the passage states the year asked about', () => {
    const answer = engine.answer('How much did the United States spend on military aid to Ukraine in 2023?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('$44 billion');
  });

  it('declines when the year asked about is nowhere near the quote', () => {
    const answer = engine.answer('How much did the United States spend on military aid to Ukraine in 2024?');
    expect(answer.answered).toBe(false);
  });

  it('counts a figure stated elsewhere in the same paragraph', () => {
    const answer = engine.answer('When did the talks on a 30-day ceasefire resume?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('Geneva');
  });

  it('holds a weekday or a month the question states to the same rule', () => {
    expect(engine.answer('What did the delegations exchange in 2025?').answered).toBe(true);
    expect(engine.answer('What did the delegations exchange on Thursday in 2025?').answered).toBe(false);
    expect(engine.answer('When did the ceasefire talks resume in Geneva in March?').answered).toBe(true);
  });

  it('counts a figure in the paragraph before one that opens by pointing back to it', () => {
    const answer = engine.answer('Did Washington reject the terms in 2021?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('rejected several');
  });

  it('without the rule, the 2023 figure is quoted for 2024', () => {
    const loose = createEngine(documents, { ranking: { statedFigures: 'off' } });
    const answer = loose.answer('How much did the United States spend on military aid to Ukraine in 2024?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('$44 billion');
  });

  it("with the article's scope, a year stated anywhere in the article is enough", () => {
    const question = 'Where did the talks on a ceasefire resume in 2025?';
    expect(engine.answer(question).answered).toBe(false);
    const wide = createEngine(documents, { ranking: { statedFigures: 'article' } });
    expect(wide.answer(question).citations[0]?.snippet).toContain('Geneva');
    expect(
      wide.answer('How much did the United States spend on military aid to Ukraine in 2024?').answered,
    ).toBe(false);
  });
});
