import type { Engine } from '../answering/engine.ts';
import type { Answer } from '../answering/types.ts';
import type { QuestionSet } from './question-set.ts';

/** One in-scope question's outcome. */
export interface InScopeResult {
  q: string;
  doc: string;
  expect: string;
  paraphrase: boolean;
  /** 1-based rank of the first citation of the right article whose snippet matches, or null. */
  rank: number | null;
  answered: boolean;
  answer: Answer;
}

/** One off-topic question's outcome. */
export interface OutOfScopeResult {
  q: string;
  /** Marked hard in the set: it shares words with the corpus. */
  hard: boolean;
  declined: boolean;
  answer: Answer;
}

/** Scores of an engine on a question set (rates are 0–1). */
export interface EvalReport {
  inScope: InScopeResult[];
  outOfScope: OutOfScopeResult[];
  top1: number;
  top3: number;
  paraphraseTop3: number | null;
  answeredRate: number;
  declinedRate: number;
  /** Declined share of the off-topic questions marked hard (sharing words with the corpus). */
  hardDeclinedRate: number | null;
  /** Of the questions declined, the share that were off-topic. */
  declinePrecision: number | null;
  /** Of the off-topic questions, the share declined (same as declinedRate). */
  declineRecall: number | null;
  medianMs: number;
  p90Ms: number;
}

/** Where in an answer the expected article and passage first appear (1-based), or null. */
export function rankOf(answer: Answer, doc: string, expect: string): number | null {
  const pattern = new RegExp(expect, 'i');
  const hit = answer.citations.find((c) => c.docId === doc && pattern.test(c.snippet));
  return hit ? hit.n : null;
}

/** Run every question of `set` through `engine` and score the answers. */
export function evaluate(engine: Engine, set: QuestionSet): EvalReport {
  const times: number[] = [];
  const timed = (q: string) => {
    const started = performance.now();
    const answer = engine.answer(q);
    times.push(performance.now() - started);
    return answer;
  };
  const inScope = set.inScope.map((item) => {
    const answer = timed(item.q);
    return {
      q: item.q,
      doc: item.doc,
      expect: item.expect,
      paraphrase: item.paraphrase ?? false,
      rank: rankOf(answer, item.doc, item.expect),
      answered: answer.answered,
      answer,
    };
  });
  const outOfScope = set.outOfScope.map((item) => {
    const q = typeof item === 'string' ? item : item.q;
    const hard = typeof item === 'string' ? false : (item.hard ?? false);
    const answer = timed(q);
    return { q, hard, declined: !answer.answered, answer };
  });
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const paraphrased = inScope.filter((r) => r.paraphrase);
  const declinedOn = inScope.filter((r) => !r.answered).length;
  const declinedOff = outOfScope.filter((r) => r.declined).length;
  const hard = outOfScope.filter((r) => r.hard);
  times.sort((a, b) => a - b);
  return {
    inScope,
    outOfScope,
    top1: share(inScope.filter((r) => r.rank === 1).length, inScope.length),
    top3: share(inScope.filter((r) => r.rank !== null && r.rank <= 3).length, inScope.length),
    paraphraseTop3: paraphrased.length
      ? share(paraphrased.filter((r) => r.rank !== null && r.rank <= 3).length, paraphrased.length)
      : null,
    answeredRate: share(inScope.filter((r) => r.answered).length, inScope.length),
    declinedRate: share(declinedOff, outOfScope.length),
    hardDeclinedRate: hard.length ? share(hard.filter((r) => r.declined).length, hard.length) : null,
    declinePrecision: declinedOn + declinedOff ? declinedOff / (declinedOn + declinedOff) : null,
    declineRecall: outOfScope.length ? declinedOff / outOfScope.length : null,
    medianMs: times.length ? times[Math.floor(times.length / 2)]! : 0,
    p90Ms: times.length ? times[Math.floor(times.length * 0.9)]! : 0,
  };
}
