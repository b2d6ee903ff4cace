import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import { createShippedLexicon } from '../../src/text/lexicon.ts';
import { makeDocument } from '../helpers.ts';

const mention = makeDocument(
  'kremlin-meeting',
  'Witkoff met Putin in the Kremlin on August 6 with Kremlin aide Yuri Ushakov. The meeting lasted three hours.',
);
const quote = makeDocument(
  'ushakov-briefing',
  'Yuri Ushakov told reporters that the next round of talks would be held in Riyadh. Officials confirmed the date.',
);
const question = 'What did Yuri Ushakov tell reporters after the meeting?';

describe('a question asking what someone said is answered by reported speech', () => {
  it('declines a sentence that only names the speaker', () => {
    expect(createEngine([mention]).answer(question).answered).toBe(false);
  });

  it('answers with the sentence that reports what was said', () => {
    const answer = createEngine([mention, quote]).answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => c.docId)).toEqual(['ushakov-briefing']);
  });

  it('without the rule, the mention is quoted', () => {
    const loose = createEngine([mention], { ranking: { speechReported: false } });
    expect(loose.answer(question).answered).toBe(true);
  });

  it('reads the rule from the main verb: its commonest sense must be saying', () => {
    const lexicon = createShippedLexicon();
    expect(analyzeQuestion(question, { lexicon }).speechTerms?.has('said')).toBe(true);
    expect(analyzeQuestion('How did Peskov describe the talks?', { lexicon }).speechTerms).toBeDefined();
    // "differ" and "add" can mean saying, but not first.
    expect(analyzeQuestion('How did France differ from Britain?', { lexicon }).speechTerms).toBeUndefined();
    expect(analyzeQuestion('Who would monitor the ceasefire?', { lexicon }).speechTerms).toBeUndefined();
  });
});
