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
    expect(analyzeQuestion(question, { lexicon }).speechForms?.has('said')).toBe(true);
    expect(analyzeQuestion('How did Peskov describe the talks?', { lexicon }).speechForms).toBeDefined();
    // "differ" and "add" can mean saying, but not first.
    expect(analyzeQuestion('How did France differ from Britain?', { lexicon }).speechForms).toBeUndefined();
    expect(analyzeQuestion('Who would monitor the ceasefire?', { lexicon }).speechForms).toBeUndefined();
  });
});

describe('a question naming who said it is answered by that one speaking', () => {
  const beside = makeDocument(
    'oval-office',
    '"I believe Vladimir Putin wants to see it ended," Trump said beside Zelenskyy in the Oval Office.',
  );
  const question = 'What did Zelenskyy say in the Oval Office?';

  it('declines a quote of another speaker with the name beside it', () => {
    expect(createEngine([beside]).answer(question).answered).toBe(false);
    expect(createEngine([beside], { ranking: { speechReported: false } }).answer(question).answered).toBe(
      true,
    );
  });

  it('answers the name before the verb, after it, and "he said" after a sentence naming him', () => {
    const before = makeDocument(
      'zelenskyy-oval',
      'In the Oval Office, Zelenskyy, speaking through an interpreter, said Ukraine needed guarantees.',
    );
    expect(createEngine([before]).answer(question).citations[0]?.docId).toBe('zelenskyy-oval');
    const after = makeDocument(
      'zelenskyy-after',
      '"We need guarantees first," said Zelenskyy in the Oval Office.',
    );
    expect(createEngine([after]).answer(question).citations[0]?.docId).toBe('zelenskyy-after');
    const pronoun = makeDocument(
      'zelenskyy-pronoun',
      'Zelenskyy met Trump in the Oval Office on Monday. He said Ukraine needed guarantees before any ceasefire.',
    );
    expect(createEngine([pronoun]).answer(question).citations[0]?.docId).toBe('zelenskyy-pronoun');
  });

  it('reads the speaker only for verbs of saying in words, not for "demand"', () => {
    const lexicon = createShippedLexicon();
    expect(analyzeQuestion(question, { lexicon }).speakers).toHaveLength(1);
    expect(analyzeQuestion('what did zelenksy say about the plan', { lexicon }).speakers).toHaveLength(1);
    expect(analyzeQuestion('What did Russia demand in June 2024?', { lexicon }).speakers).toBeUndefined();
    // The subject is the draft, not the US.
    expect(analyzeQuestion('What does the US draft say about NATO?', { lexicon }).speakers).toBeUndefined();
  });
});
