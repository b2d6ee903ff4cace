import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answering/engine.ts';
import { GAP } from '../../src/answering/snippet.ts';
import { type EvalReport, evaluate } from '../../src/eval/evaluate.ts';
import { loadQuestionSet } from '../../src/eval/question-set.ts';
import { shippedEngine } from '../helpers.ts';

let engine: Engine;
let report: EvalReport;
beforeAll(async () => {
  engine = await shippedEngine();
  report = evaluate(
    engine,
    await loadQuestionSet(new URL('../../eval/questions.json', import.meta.url).pathname),
  );
});

// Floors at the scores reached when they were set (README, Evaluation), so a regression fails CI.
// The goals are higher where noted; raise a floor whenever the engine improves.
describe('the repo eval set', () => {
  it('is large enough to mean something', () => {
    expect(report.inScope.length).toBeGreaterThanOrEqual(60);
    expect(report.inScope.filter((r) => r.paraphrase).length).toBeGreaterThanOrEqual(20);
    expect(report.outOfScope.length).toBeGreaterThanOrEqual(20);
  });

  it('puts the right passage first and among the first three', () => {
    // 0.92 / 0.97 / 0.94 before irregular forms and the yes/no focus rule (README, "Yes/no questions").
    expect(report.top1).toBeGreaterThanOrEqual(0.9); // goal 0.90
    expect(report.top3).toBeGreaterThanOrEqual(0.94); // goal 0.97
    expect(report.paraphraseTop3).toBeGreaterThanOrEqual(0.86); // goal 0.80
  });

  it('answers on-topic questions and declines off-topic ones', () => {
    expect(report.answeredRate).toBeGreaterThanOrEqual(0.96); // goal 0.97; 1 before the yes/no focus rule
    expect(report.declinedRate).toBeGreaterThanOrEqual(1); // goal 0.95
    expect(report.hardDeclinedRate).toBeGreaterThanOrEqual(1);
  });

  it('quotes only verbatim article text', () => {
    for (const { answer } of report.inScope) {
      for (const citation of answer.citations) {
        const body = engine.document(citation.docId)!.body;
        for (const part of citation.snippet.split(GAP)) expect(body).toContain(part);
      }
    }
  });
});

// The blind set (written before the fourth round's engine changes; README, "Fourth round"): floors
// at the scores reached, far below the tuned set's, which is the point of keeping it.
describe('the blind eval set', () => {
  let blind: EvalReport;
  beforeAll(async () => {
    blind = evaluate(
      engine,
      await loadQuestionSet(new URL('../../eval/blind-questions.json', import.meta.url).pathname),
    );
  });

  it('holds off-topic questions that reuse the articles words, and on-topic ones', () => {
    expect(blind.inScope.length).toBeGreaterThanOrEqual(20);
    expect(blind.outOfScope.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps the scores reached', () => {
    expect(blind.top1).toBeGreaterThanOrEqual(0.8);
    expect(blind.top3).toBeGreaterThanOrEqual(0.9);
    expect(blind.answeredRate).toBeGreaterThanOrEqual(1);
    expect(blind.declinedRate).toBeGreaterThanOrEqual(0.94); // goal 0.90; 0.82 before the yes/no focus rule, 0.91 before "a thing the corpus never names"
    expect(blind.declinePrecision).toBeGreaterThanOrEqual(1);
  });
});

// The fifth round's blind batch (README, "Fifth round"), its held-out third left out: floors at the
// scores reached, so a change that costs it shows.
describe('the fifth-round blind set', () => {
  let fresh: EvalReport;
  beforeAll(async () => {
    fresh = evaluate(
      engine,
      await loadQuestionSet(new URL('../../eval/fresh-questions.json', import.meta.url).pathname),
    );
  });

  it('is mostly off-topic questions that reuse the articles words', () => {
    expect(fresh.inScope.length).toBeGreaterThanOrEqual(20);
    expect(fresh.outOfScope.length).toBeGreaterThan(fresh.inScope.length);
  });

  it('keeps the scores reached', () => {
    expect(fresh.top1).toBeGreaterThanOrEqual(0.91);
    expect(fresh.top3).toBeGreaterThanOrEqual(0.91);
    expect(fresh.answeredRate).toBeGreaterThanOrEqual(0.95);
    expect(fresh.declinedRate).toBeGreaterThanOrEqual(0.92); // 0.82 before "a thing the corpus never names"
    expect(fresh.declinePrecision).toBeGreaterThanOrEqual(0.96);
  });
});

describe('the sixth- and seventh-round blind sets', () => {
  let sixth: EvalReport;
  let seventh: EvalReport;
  beforeAll(async () => {
    const load = (name: string) =>
      loadQuestionSet(new URL(`../../eval/${name}.json`, import.meta.url).pathname);
    sixth = evaluate(engine, await load('sixth-questions'));
    seventh = evaluate(engine, await load('seventh-questions'));
  });

  // Floors at what the eighth round reached (lexical engine); its rules raised the declines.
  it('keeps the scores reached', () => {
    expect(sixth.top1).toBeGreaterThanOrEqual(0.75);
    expect(sixth.answeredRate).toBeGreaterThanOrEqual(0.85);
    expect(sixth.declinedRate).toBeGreaterThanOrEqual(0.83); // 0.73 before the eighth round
    expect(seventh.top1).toBeGreaterThanOrEqual(0.6); // 0.5 before quoted phrases
    expect(seventh.answeredRate).toBeGreaterThanOrEqual(0.7);
    expect(seventh.declinedRate).toBeGreaterThanOrEqual(0.55); // 0.30 before the eighth round
  });
});
