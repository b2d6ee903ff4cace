import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { quotedPhrasesOf } from '../../src/answering/question.ts';
import { DEFAULT_RANKING } from '../../src/answering/rank.ts';
import { makeDocument } from '../helpers.ts';

const documents = [
  makeDocument(
    'kremlin-sources',
    [
      'Reuters was able to outline the contours of what the Kremlin wants from the talks.',
      '',
      'Moscow sees the coming months as decisive for the war and for peace in Europe.',
      '',
      '"There are two choices: war or peace, and if there is no peace, then there is more war," one of the people said.',
    ].join('\n'),
  ),
];
const question = "what was the 'war or peace' line from the reuters source";

describe('a phrase the question quotes', () => {
  it('is read from straight, curly and single quotes, not from apostrophes', () => {
    expect(quotedPhrasesOf(question)).toEqual(['war or peace']);
    expect(quotedPhrasesOf('He said “peace through strength” again')).toEqual(['peace through strength']);
    expect(quotedPhrasesOf("What is Russia's plan? Don't guess")).toEqual([]);
  });

  it('puts first, and answers with, the sentence that has it word for word', () => {
    const answer = createEngine(documents).answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('war or peace');
  });

  it('without it, the sentence shares too few of the words asked', () => {
    const weights = { ...DEFAULT_RANKING.weights, quoted: 0 };
    const answer = createEngine(documents, { ranking: { weights } }).answer(question);
    expect(answer.answered && answer.citations[0]?.snippet.includes('war or peace')).toBe(false);
  });
});
