import type { Passage } from './passages.ts';
import { leansOnPrevious } from './snippet.ts';

// An idf above this adds no more: one rare name should not make a sentence "informative".
const IDF_CAP = 4;

/**
 * How much a sentence tells a reader on its own, for picking one sentence per article
 * (timelines) when no question steers the choice. The sum of its distinct terms' idf (rare,
 * specific words say more than common ones), divided by the square root of its length (so long
 * sentences do not win by length alone); halved for fragments and list lead-ins ("…:"), cut for
 * sentences that lean on the previous one ("He said…"), nudged up for the lede (news writing
 * puts the news first).
 */
export function informativeness(passage: Passage, idf: (term: string) => number): number {
  let content = 0;
  for (const term of passage.terms) content += Math.min(idf(term), IDF_CAP);
  let score = content / Math.sqrt(passage.tokens.length + 4);
  if (passage.text.length < 50 || /:$/.test(passage.text)) score *= 0.5;
  if (leansOnPrevious(passage.text)) score *= 0.6;
  if (passage.sentence === 0) score *= 1.25;
  return score;
}
