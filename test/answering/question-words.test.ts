import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import { analyzeTerms } from '../../src/text/analyze.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const lexicon = createShippedLexicon();
const termsOf = (question: string) => analyzeQuestion(question, { lexicon }).terms.map((t) => t.term);

describe('a mistyped question word', () => {
  it('is read as the question word one letter away, not searched for', () => {
    const mended = analyzeQuestion('Whwn did the talks in Istanbul start?', { lexicon });
    expect(mended.kind).toBe('date');
    expect(termsOf('Whwn did the talks in Istanbul start?')).not.toContain(analyzeTerms('whwn')[0]);
    expect(analyzeQuestion('Hoq many prisoners were exchanged?', { lexicon }).kind).toBe('quantity');
  });

  it('is left alone when English knows the word or none is one letter away', () => {
    expect(termsOf('Wham was the band?')).toContain(analyzeTerms('wham')[0]);
    expect(termsOf('Zelensky met whom?')).toContain(analyzeTerms('zelensky')[0]);
  });
});

describe('a month abbreviation', () => {
  it('matches the month in the articles, and is no unknown name', () => {
    const engine = createEngine([
      makeDocument(
        'capitulation',
        'In September 1760, Governor Vaudreuil negotiated a capitulation from Montreal.',
      ),
      makeDocument('other', 'The harvest in Quebec was poor that year.'),
    ]);
    const answer = engine.answer('In Sept 1760 who negotiated a capitulation from Montreal?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.snippet).toContain('Vaudreuil');
    const oct = analyzeQuestion('What happened in Oct. 2025?', { lexicon }).terms.find(
      (t) => t.surface === 'Oct',
    );
    expect(oct?.forms).toContain(analyzeTerms('October')[0]);
  });
});

describe('the act a question asks about', () => {
  const predicateOf = (question: string) => {
    const analysed = analyzeQuestion(question, { lexicon, predicate: true });
    return analysed.terms.filter((t) => t.concept === analysed.predicate).map((t) => t.surface);
  };

  it('is the main verb, after the auxiliary or the subject', () => {
    expect(predicateOf('Who would monitor the ceasefire?')).toEqual(['monitor']);
    expect(predicateOf('What did Russia demand in June 2024?')).toEqual(['demand']);
    expect(predicateOf('Who signed the memorandum?')).toEqual(['signed']);
    // "draft" could be a verb, but "say" follows it: the subject's noun, and "say" is a quote's verb.
    expect(predicateOf('What does the US draft say about NATO?')).toEqual([]);
    expect(predicateOf('How did Kyiv respond to the plan?')).toEqual([]);
  });

  const documents = [
    makeDocument(
      'truce',
      'Trump awaits a response from Putin on whether he would accept a 30-day ceasefire. The details are still being finalised.',
    ),
    makeDocument('monitors', 'European officials said observers from the OSCE could monitor a truce.'),
    makeDocument('other', 'The harvest in Kherson was poor that year.'),
  ];
  const question = 'Who would monitor the 30-day ceasefire Putin is asked to accept?';

  it('when required (off by default), must be said in the quoted passage', () => {
    const required = createEngine(documents, { ranking: { predicateHeld: true } }).answer(question);
    const lenient = createEngine(documents).answer(question);
    expect(lenient.citations[0]?.docId).toBe('truce');
    expect(required.citations.map((c) => c.docId)).not.toContain('truce');
  });
});
