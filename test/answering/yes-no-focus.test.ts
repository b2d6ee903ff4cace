import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import type { CorpusDocument } from '../../src/corpus/schema.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { shippedCorpus } from '../helpers.ts';

const lexicon = createShippedLexicon();

/** The surfaces of a yes/no question's focus, as the question analysis reads it. */
function focusWords(question: string): string[] {
  const analysed = analyzeQuestion(question, { lexicon });
  const focus = analysed.yesNoFocus ?? [];
  return analysed.terms.filter((t) => focus.includes(t.concept)).map((t) => t.surface);
}

describe('the focus of a yes/no question', () => {
  it('is the noun after "is/will there (be)", past determiners', () => {
    expect(focusWords('Will there be an amnesty for war crimes?')).toEqual(['amnesty']);
    expect(focusWords('Is there a deadline for Kyiv to accept the US plan?')).toEqual(['deadline']);
    expect(focusWords('Are there any sanctions on oligarchs?')).toEqual(['sanctions']);
  });

  it("is the main verb's object, the verb found by WordNet in the form the auxiliary wants", () => {
    expect(focusWords('Will Ukraine hold elections before a peace deal?')).toEqual(['elections']);
    expect(focusWords('Does the plan include a referendum in Ukraine?')).toEqual(['referendum']);
    expect(focusWords('Did Putin accept the offer?')).toEqual(['offer']);
    expect(focusWords('Has Russia accepted the offer?')).toEqual(['offer']);
    // A name is not the focus; the noun it qualifies is.
    expect(focusWords("Does the US draft cap Ukraine's army?")).toContain('army');
  });

  it('is none for other questions or when nothing follows the verb', () => {
    expect(analyzeQuestion('What does the US draft say about NATO?', { lexicon }).yesNoFocus).toBeUndefined();
    expect(
      analyzeQuestion('Will Western troops be deployed in Ukraine?', { lexicon }).yesNoFocus,
    ).toBeUndefined();
    expect(analyzeQuestion('Is the plan fair?', { lexicon }).yesNoFocus).toBeUndefined();
    // Without a lexicon there is no verb to find.
    expect(analyzeQuestion('Will Ukraine hold elections?').yesNoFocus).toBeUndefined();
  });
});

describe('refusal by the focus of a yes/no question', () => {
  let documents: CorpusDocument[];
  let off: Engine;
  const engines: Record<'passage' | 'article', Engine> = {} as Record<'passage' | 'article', Engine>;
  beforeAll(async () => {
    documents = await shippedCorpus();
    // Off: this rule, and the one for things the corpus never names, which declines some of these too.
    off = createEngine(documents, { ranking: { yesNoFocus: 'off', absentWordsBridged: false } });
    engines.passage = createEngine(documents, { ranking: { yesNoFocus: 'passage' } });
    engines.article = createEngine(documents, { ranking: { yesNoFocus: 'article' } });
  });

  const offTopic = [
    'Will Ukraine hold elections before a peace deal?',
    'Will there be an amnesty for war crimes?',
    'Does the plan include a referendum in Ukraine?',
    'Is there a deadline for Kyiv to accept the US plan?',
  ];

  it.each(offTopic)('declines "%s" (answered with the rule off; on by default)', (question) => {
    expect(off.answer(question).answered).toBe(true);
    expect(createEngine(documents).answer(question).answered).toBe(false);
    expect(engines.passage.answer(question).answered).toBe(false);
    expect(engines.article.answer(question).answered).toBe(false);
  });

  it.each([
    ["Does the US draft cap Ukraine's army?", '600,000'],
    ['Will Western troops be deployed in Ukraine?', 'Western troops'],
  ])('answers "%s", which the articles answer', (question, quoted) => {
    for (const engine of [engines.passage, engines.article]) {
      const answer = engine.answer(question);
      expect(answer.answered).toBe(true);
      expect(answer.citations[0]!.snippet).toContain(quoted);
    }
  });
});
