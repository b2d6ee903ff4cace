import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { formatAblation } from '../../src/cli/eval.ts';
import { ABLATIONS, ablate } from '../../src/eval/ablation.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import type { QuestionSet } from '../../src/eval/question-set.ts';
import { makeDocument } from '../helpers.ts';

const documents = [
  makeDocument('talks', 'Negotiators met in Geneva on Monday. The negotiations ended without an agreement.'),
  makeDocument('army', 'The army has 600,000 troops. Officials plan to cut the number of troops by half.'),
];
const set: QuestionSet = {
  inScope: [
    { q: 'Did the talks produce a deal?', doc: 'talks', expect: 'without an agreement', paraphrase: true },
    { q: 'How many troops does the army have?', doc: 'army', expect: '600,000' },
  ],
  outOfScope: ['What is the population of Brazil?', { q: 'Who won the Geneva chess open?', hard: true }],
};

describe('ablate', () => {
  it('scores the engine with each part switched off, as deltas from the full engine', () => {
    const baseline = evaluate(createEngine(documents), set);
    const results = ablate(documents, set, baseline);
    expect(results.map((r) => r.part)).toEqual(ABLATIONS.map((a) => a.part));
    for (const { report, delta } of results) {
      expect(delta.top1).toBeCloseTo(baseline.top1 - report.top1);
      expect(delta.declinedRate).toBeCloseTo(baseline.declinedRate - report.declinedRate);
    }
    // Without synonyms "talks" no longer finds "negotiations".
    const synonyms = results.find((r) => r.part === 'curated synonyms')!;
    expect(synonyms.report.inScope[0]!.rank).toBeNull();
    expect(formatAblation(results)).toContain('| curated synonyms |');
  });

  it('reports the hard off-topic questions apart', () => {
    const report = evaluate(createEngine(documents), set);
    expect(report.outOfScope.map((r) => r.hard)).toEqual([false, true]);
    expect(report.hardDeclinedRate).toBe(1);
  });
});
