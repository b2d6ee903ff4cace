import type { Passage } from '../search-index/passages.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { leansOnPrevious } from './snippet.ts';

/** One sentence chosen for a digest, with the features that chose it (for tests and tuning). */
export interface InformativeSentence {
  passage: Passage;
  score: number;
}

/** Options of {@link informativeSentences}. */
export interface InformativeOptions {
  /** Most sentences to pick. Default 3. */
  max?: number;
  /** The article's title: its terms count double (the headline says what the article is about). */
  title?: string;
  /** Fewest sentences to pick when the article has that many usable ones. Default 2. */
  min?: number;
  /** A sentence beyond `min` is kept only if it scores at least this share of the best. Default 0.5. */
  keepRatio?: number;
  /**
   * The sentence will be quoted with the one it leans on ("These include …" with what "these"
   * are), so leaning costs it nothing. Default false (a digest shows sentences alone).
   */
  quotedWithPrevious?: boolean;
}

// Fewer analysed terms than this and a sentence rarely informs alone ("Talks resumed.").
const SHORT_TERMS = 6;
// More than this and it is a run-on quote or a list squeezed into one sentence.
const LONG_TERMS = 45;

/**
 * The article's most informative sentences, in article order. Each sentence is scored by
 *
 * 1. salience: the sum, over its distinct terms, of idf(term) (how rare the term is in the whole
 *    corpus) times tf (how often this article uses it), doubled for terms of the title,
 *    divided by (term count)^0.75, so sentences dense in this article's own, corpus-rare
 *    vocabulary win without simply rewarding length;
 * 2. position: a small lead bonus (at most 15%: news puts key facts early), never enough alone;
 * 3. shape: halved when it leans on the previous sentence ("He said…", "However…"), reduced when
 *    very short, very long, a lead-in ending in ":", or a direct quotation (colour more than fact);
 *
 * then picked greedily, each pick discounting later candidates by the share of their term weight
 * already covered (so the picks say different things).
 */
export function informativeSentences(
  passages: readonly Passage[],
  idf: (term: string) => number,
  options: InformativeOptions = {},
): InformativeSentence[] {
  const { max = 3, min = 2, keepRatio = 0.5 } = options;
  const titleTerms = new Set(options.title ? analyzeTerms(options.title) : []);
  const tf = new Map<string, number>();
  for (const p of passages) for (const token of p.tokens) tf.set(token.term, (tf.get(token.term) ?? 0) + 1);
  const weight = new Map<string, number>();
  for (const [term, count] of tf)
    weight.set(term, Math.max(0, idf(term)) * count * (titleTerms.has(term) ? 2 : 1));

  const candidates = passages
    .filter((p) => p.terms.size > 0)
    .map((p) => {
      const termWeight = [...p.terms].reduce((sum, t) => sum + (weight.get(t) ?? 0), 0);
      let score = termWeight / p.terms.size ** 0.75;
      score *= 1 + 0.15 / (1 + p.sentence / 2);
      if (leansOnPrevious(p.text) && !options.quotedWithPrevious) score *= 0.5;
      if (p.terms.size < SHORT_TERMS) score *= 0.4;
      if (p.terms.size > LONG_TERMS) score *= 0.7;
      if (/:\s*$/.test(p.text)) score *= 0.3;
      // A direct quotation is colour more often than fact.
      if (/^["\u201C]/.test(p.text)) score *= 0.6;
      return { passage: p, base: score, termWeight };
    });

  const chosen: InformativeSentence[] = [];
  const covered = new Set<string>();
  let best = 0;
  while (chosen.length < max && candidates.length) {
    let top = -1;
    let topScore = -1;
    candidates.forEach((c, i) => {
      const overlap =
        c.termWeight > 0
          ? [...c.passage.terms].filter((t) => covered.has(t)).reduce((s, t) => s + (weight.get(t) ?? 0), 0) /
            c.termWeight
          : 1;
      const score = c.base * (1 - 0.7 * overlap);
      if (score > topScore) {
        topScore = score;
        top = i;
      }
    });
    if (top < 0) break;
    if (chosen.length === 0) best = topScore;
    else if (chosen.length >= min && topScore < best * keepRatio) break;
    const [pick] = candidates.splice(top, 1);
    for (const t of pick!.passage.terms) covered.add(t);
    chosen.push({ passage: pick!.passage, score: Math.round(topScore * 1000) / 1000 });
  }
  return chosen.sort((a, b) => a.passage.sentence - b.passage.sentence);
}
