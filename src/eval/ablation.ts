import { createEngine, type EngineOptions } from '../answering/engine.ts';
import { DEFAULT_RANKING } from '../answering/rank.ts';
import type { CorpusDocument } from '../corpus/schema.ts';
import { type EvalReport, evaluate } from './evaluate.ts';
import type { QuestionSet } from './question-set.ts';

/** One ranking part switched off, and the engine options that do it. */
export interface Ablation {
  part: string;
  options: EngineOptions;
}

const without = (weight: keyof typeof DEFAULT_RANKING.weights): EngineOptions => ({
  ranking: { weights: { ...DEFAULT_RANKING.weights, [weight]: 0 } },
});

/** Each part of the ranking, switched off one at a time. */
export const ABLATIONS: readonly Ablation[] = [
  { part: 'coverage', options: without('coverage') },
  { part: 'retrieval (BM25)', options: without('retrieval') },
  { part: 'proximity', options: without('proximity') },
  { part: 'answer kind', options: without('kindMatch') },
  { part: 'lead sentence', options: without('lead') },
  // Counts only when the sentence model is loaded (SEMANTIC_MODEL); otherwise the row reads 0.
  { part: 'semantic (sentence model)', options: without('semantic') },
  { part: 'a phrase the question quotes, word for word', options: without('quoted') },
  { part: 'curated synonyms', options: { synonyms: false } },
  { part: 'WordNet synonyms', options: { lexiconSynonyms: false } },
  { part: 'inflections the stemmer splits', options: { inflections: false } },
  { part: 'irregular inflections (fled/flee)', options: { irregularForms: false } },
  { part: 'phrases as units', options: { phrases: false } },
  { part: 'acronyms the articles spell out (WWII)', options: { acronyms: false } },
  { part: 'answer in the sentences after', options: { continuation: false } },
  { part: 'common-word weighting', options: { ranking: { commonWords: false } } },
  { part: 'refusal: unknown names', options: { ranking: { declineUnknownNames: false } } },
  { part: 'refusal: two concepts', options: { ranking: { requireTwoConcepts: false } } },
  { part: 'refusal: words with no trace', options: { ranking: { declineUnbridged: false } } },
  {
    part: 'refusal: a date or place with a specific name answers',
    options: { ranking: { kindVouches: false } },
  },
  {
    part: 'refusal: a specific name of several words vouches',
    options: { ranking: { namesVouch: false } },
  },
  { part: 'refusal: focus held', options: { ranking: { requireFocus: false } } },
  { part: 'refusal: yes/no focus in the passage', options: { ranking: { yesNoFocus: 'off' } } },
  // The looser variant, for comparison: this row switches the default to it.
  {
    part: 'refusal: yes/no focus in the article instead (row = article)',
    options: { ranking: { yesNoFocus: 'article' } },
  },
  { part: 'refusal: half absent from the article', options: { ranking: { declineAbsentInArticle: false } } },
  { part: 'refusal: names in the cited article', options: { ranking: { namesInArticle: false } } },
  {
    part: 'refusal: a thing the corpus never names, bridged in the passage',
    options: { ranking: { absentWordsBridged: false } },
  },
  // Off by default; this row switches it on (a negative row is what it would cost).
  {
    part: 'refusal: the act asked about held (row = on)',
    options: { ranking: { predicateHeld: true } },
  },
  {
    part: 'refusal: a kind of the focus holds it (WordNet hyponyms)',
    options: { ranking: { focusKinds: false } },
  },
  {
    part: 'refusal: what someone said is answered by reported speech',
    options: { ranking: { speechReported: false } },
  },
  {
    part: 'refusal: the answer expression the question names (year, date, how long) quoted',
    options: { ranking: { namedKindHeld: false } },
  },
  {
    part: 'answer kind: WordNet nouns for people count as a "who" answer',
    options: { ranking: { personNouns: false } },
  },
  {
    part: 'refusal: figures asked about stated in the paragraph',
    options: { ranking: { statedFigures: 'off' } },
  },
  {
    part: 'refusal: figures asked about stated in the article instead (row = article)',
    options: { ranking: { statedFigures: 'article' } },
  },
  {
    part: 'refusal: every citation passes the tests, not only the first',
    options: { ranking: { everyCitationAnswers: false } },
  },
  { part: 'small talk gets a usage reply', options: { smallTalk: false } },
  { part: 'refusal: not in English', options: { detectLanguage: false } },
];

/** What one part bought: the full engine's scores minus the scores without it. */
export interface AblationResult {
  part: string;
  report: EvalReport;
  /** Full minus ablated, per score (positive = the part helps). */
  delta: Record<'top1' | 'top3' | 'paraphraseTop3' | 'answeredRate' | 'declinedRate', number>;
}

/** Score the engine with each part switched off, against the full engine's `baseline`. */
export function ablate(
  documents: readonly CorpusDocument[],
  set: QuestionSet,
  baseline: EvalReport,
  base: EngineOptions = {},
  ablations: readonly Ablation[] = ABLATIONS,
): AblationResult[] {
  return ablations.map(({ part, options }) => {
    const report = evaluate(createEngine(documents, { ...base, ...options }), set);
    return {
      part,
      report,
      delta: {
        top1: baseline.top1 - report.top1,
        top3: baseline.top3 - report.top3,
        paraphraseTop3: (baseline.paraphraseTop3 ?? 0) - (report.paraphraseTop3 ?? 0),
        answeredRate: baseline.answeredRate - report.answeredRate,
        declinedRate: baseline.declinedRate - report.declinedRate,
      },
    };
  });
}
