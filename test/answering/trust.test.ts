import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answering/engine.ts';
import { createEngine } from '../../src/answering/engine.ts';
import { DEFAULT_RANKING } from '../../src/answering/rank.ts';
import { stripMentions, validateQuestion } from '../../src/answering/validate-question.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { EXAMPLE_QUESTIONS, NOT_ENGLISH_MESSAGE } from '../../src/messages/strings.ts';
import { makeDocument, shippedEngine } from '../helpers.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

const filler = Array.from({ length: 8 }, (_, i) => `Filler sentence number ${i} mentions nothing relevant.`);

describe('platform mentions', () => {
  it('are removed from the question before it is answered', () => {
    expect(stripMentions('What does the US draft say about NATO? cc <@U0999ZZZ>').trim()).toBe(
      'What does the US draft say about NATO?',
    );
    expect(validateQuestion('@everyone <@123> <@!456> <@&789> what about NATO? <!here> <!channel>')).toBe(
      'what about NATO?',
    );
    expect(validateQuestion('<#C123|general> <@U1|bob>, who is Kori Schake? @here')).toBe(
      'who is Kori Schake?',
    );
    // An address is not a mention.
    expect(validateQuestion('Who wrote to press@here.org?')).toBe('Who wrote to press@here.org?');
  });

  it('do not change the answer', () => {
    const plain = engine.answer('What does the US draft say about NATO?');
    for (const noisy of [
      'What does the US draft say about NATO? cc <@U0999ZZZ>',
      '@everyone <@123> What does the US draft say about NATO?',
    ]) {
      const answer = engine.answer(noisy);
      expect(answer.answered).toBe(true);
      expect(answer.citations.map((c) => c.snippet)).toEqual(plain.citations.map((c) => c.snippet));
    }
  });

  it('leave a clear error when they were all there was', () => {
    try {
      validateQuestion('<@U0999ZZZ>');
      expect.unreachable();
    } catch (error) {
      expect(isPeacedeskError(error) && error.code).toBe('empty_question');
    }
  });
});

describe('small talk', () => {
  it.each(['help', 'hi', 'Hello!', 'thanks', 'Thank you so much', 'what can you do', 'Who are you?'])(
    '"%s" gets a usage reply with two example questions, not quotes',
    (message) => {
      const answer = engine.answer(message);
      expect(answer.kind).toBe('usage');
      expect(answer.citations).toEqual([]);
      expect(answer.answered).toBe(false);
      for (const q of EXAMPLE_QUESTIONS) expect(renderText(answer)).toContain(q);
    },
  );

  it('is not taken for a question with a content word', () => {
    expect(engine.answer('Who is Kori Schake?').kind).toBe('answer');
    expect(engine.answer('Can you help me with the NATO demands?').kind).toBe('answer');
  });

  it('is answered from the sources with the switch off', () => {
    const off = createEngine(
      engine.articles().map((a) => engine.document(a.docId)!),
      { smallTalk: false },
    );
    expect(off.answer('help').kind).toBe('answer');
  });

  it('examples it offers are answered by the shipped articles', () => {
    for (const q of EXAMPLE_QUESTIONS) expect(engine.answer(q).answered).toBe(true);
  });
});

describe('a question in another language', () => {
  it.each([
    'Що пропонує США?',
    'Что предлагает Путин по НАТО?',
    '¿Qué propone Estados Unidos sobre Ucrania?',
  ])('"%s" is declined with the reason that the articles are in English', (question) => {
    const answer = engine.answer(question);
    expect(answer).toMatchObject({ answered: false, declineReason: 'not_english', citations: [] });
    expect(renderText(answer)).toBe(NOT_ENGLISH_MESSAGE);
  });

  it('is not flagged when it is English with foreign names', () => {
    const answer = engine.answer('What did Zelenskyy say about withdrawing from the east?');
    expect(answer.answered).toBe(true);
    expect(engine.answer('What is the population of Brazil?').declineReason).toBe('not_in_sources');
  });
});

describe('word forms', () => {
  const small = createEngine([
    makeDocument(
      'a',
      [
        'Hervé Morin chaired the border commission in Vienna.',
        'Thousands of villagers fled the shelling near the river crossing.',
        ...filler,
      ].join(' '),
    ),
  ]);

  it('folds accents: "Herve" is "Hervé"', () => {
    const answer = small.answer('What did Herve Morin chair?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]!.snippet).toContain('Hervé Morin');
  });

  it('matches an irregular inflection ("flee" finds "fled"), not with the switch off', () => {
    expect(small.explain('Why did the villagers flee the shelling?')[0]!.matched).toContain('fled');
    const off = createEngine(
      small.articles().map((a) => small.document(a.docId)!),
      { irregularForms: false },
    );
    expect(off.explain('Why did the villagers flee the shelling?')[0]!.matched).not.toContain('fled');
  });
});

describe('refusal by focus', () => {
  const docs = [
    makeDocument(
      'a',
      [
        'The envoys discussed an exchange of territory along the front line in Vienna.',
        'The rebels rejected the proposal in March.',
        ...filler,
      ].join(' '),
    ),
    makeDocument('b', ['Marta Kowalska chaired a separate meeting on grain exports.', ...filler].join(' ')),
  ];
  const small = createEngine(docs);
  const without = (ranking: Partial<typeof DEFAULT_RANKING>) =>
    createEngine(docs, { ranking: { ...DEFAULT_RANKING, ...ranking } });

  it('declines when the passage lacks what "how many" counts, and answers with the rule off', () => {
    const question = 'How many prisoners will the envoys exchange along the front line?';
    expect(small.answer(question).answered).toBe(false);
    // "prisoners" is also a thing the corpus never names: that rule is switched off with this one.
    expect(without({ requireFocus: false, absentWordsBridged: false }).answer(question).answered).toBe(true);
    expect(small.answer('How much territory did the envoys discuss exchanging?').answered).toBe(true);
  });

  it('declines when a name asked is nowhere in the cited article', () => {
    const question = 'What did Kowalska say about the exchange of territory along the front line?';
    expect(small.answer(question).answered).toBe(false);
    expect(without({ namesInArticle: false, speechReported: false }).answer(question).answered).toBe(true);
  });
});

describe('quotes take what continues the cited sentence', () => {
  it('compares on NATO with the sentence that states the proposal, not background naming NATO twice', () => {
    const answer = engine.answer('Compare the proposals on NATO');
    expect(answer.kind).toBe('comparison');
    const march = answer.citations.find((c) => c.docId === '2025-03-13-russia-demands-list')!;
    expect(march.snippet).toContain('a firm commitment that Ukraine will never join NATO');
    expect(march.snippet).not.toContain('root causes');
  });

  it('quotes the items a sentence counts ("two stages")', () => {
    const answer = engine.answer("What are the two stages of Putin's offer?");
    expect(answer.citations[0]!.snippet).toContain('consists of two stages');
    expect(answer.citations[0]!.snippet).toContain('Ukraine withdraws troops from Donetsk region');
    expect(answer.citations[0]!.snippet).toContain('Putin and Trump agree on a final peace plan');
  });

  it('quotes the next sentence when it goes on about what the cited one named ("That agreement")', () => {
    const answer = engine.answer('What did the 2022 Istanbul talks propose?');
    expect(answer.citations[0]!.snippet).toMatch(
      /starting point for new peace talks\. That agreement.*called for/,
    );
  });
});
