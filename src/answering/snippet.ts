import type { Passage } from '../search-index/passages.ts';
import { analyze } from '../text/analyze.ts';
import { normalizeText } from '../text/normalize.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import type { Highlight } from './types.ts';

/** Separator between parts of a snippet that do not follow each other in the article's text. */
export const GAP = ' … ';

// A sentence that leans on the one before it: a pronoun or connective first, or a quotation
// attributed to "he"/"she"/"they". Shown with its predecessor so the reader knows who "he" is.
const LEANS_ON_PREVIOUS =
  /^["'\u201C\u2018]?(?:he|she|it|they|this|that|these|those|its|his|her|their|them|such|both|however|but|also|another|meanwhile|in return|in this way|in addition|the latter|the former|instead|still|yet)\b/i;
// "Kyiv rejected those terms", "While Washington rejected several of these terms": a plural
// demonstrative before a noun points back to what the previous sentence named.
const REFERS_BACK = /\bth(?:o|e)se\s+(?!(?:who|which|that|of|are|were|include)\b)[a-z]/i;
const QUOTE_BY_PRONOUN =
  /^["\u201C][^"\u201D]+["\u201D],? (?:he|she|they|it) (?:said|told|added|wrote|says|noted|argued)\b/i;
// A sentence this short rarely says enough alone ("Ceasefire talks in uncertainty").
const SHORT_SENTENCE = 60;
// A snippet never grows past this many characters by taking in neighbours.
export const MAX_SNIPPET = 600;

/** True when a sentence cannot stand alone and needs the sentence before it. */
export function leansOnPrevious(sentence: string): boolean {
  return LEANS_ON_PREVIOUS.test(sentence) || QUOTE_BY_PRONOUN.test(sentence) || REFERS_BACK.test(sentence);
}

/** The sentences a snippet for `passage` quotes: the passage, plus the neighbours it needs. */
export function snippetWindow(passage: Passage, articlePassages: readonly Passage[]): Passage[] {
  const window = [passage];
  const previous = articlePassages[passage.sentence - 1];
  if (
    previous &&
    leansOnPrevious(passage.text) &&
    previous.text.length + passage.text.length <= MAX_SNIPPET
  ) {
    window.unshift(previous);
  }
  const next = articlePassages[passage.sentence + 1];
  const length = window.reduce((sum, p) => sum + p.text.length, 0);
  // A short sentence takes the next one in its paragraph; one that ends with ":" introduces
  // what follows (usually a list), so it takes the first item.
  const wantsNext =
    (next?.block === passage.block && length < SHORT_SENTENCE) ||
    (next !== undefined && /:$/.test(passage.text));
  if (next && wantsNext && length + next.text.length <= MAX_SNIPPET) window.push(next);
  // "... consists of two stages." announces as many items as it counts, each its own block
  // (a numbered list): they are the answer, so they are quoted with it while they fit.
  const counted = ANNOUNCES_ITEMS.exec(passage.text);
  if (counted && window.at(-1) === passage) {
    const wanted = COUNT_WORDS.indexOf(counted[1]!.toLowerCase()) + 1 || Number(counted[1]);
    let total = window.reduce((sum, p) => sum + p.text.length, 0);
    for (let k = 1; k <= wanted; k++) {
      const item = articlePassages[passage.sentence + k];
      const before = window.at(-1)!;
      if (!item || item.block === before.block || total + item.text.length > MAX_SNIPPET) break;
      window.push(item);
      total += item.text.length;
    }
  }
  return window;
}

const COUNT_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
// A sentence that ends by counting what follows: "consists of two stages.", "has three parts:".
const ANNOUNCES_ITEMS = new RegExp(
  `\\b(${COUNT_WORDS.join('|')}|[2-9])\\s+(?:\\p{L}+\\s+)?(?:stages|steps|phases|parts|points|elements|conditions|demands|proposals|options|provisions|components)[.:]?$`,
  'iu',
);

// "That agreement, which ...": a demonstrative before a noun at the start of a sentence goes on
// about what the sentence before it named.
const CONTINUES = /^(?:that|this|these|those)\s+(\p{L}+)/iu;

/**
 * True when a sentence goes on about what the previous one named: it starts with a demonstrative
 * before a noun ("That agreement ..."), or points back with "those/these" + noun ("Kyiv rejected
 * those terms as tantamount to surrender").
 */
export function continuesPrevious(sentence: string): boolean {
  const word = CONTINUES.exec(sentence)?.[1]?.toLowerCase();
  return (
    (word !== undefined && !STOP_WORDS.has(word) && !/(?:ed|ly)$/u.test(word)) || REFERS_BACK.test(sentence)
  );
}

/**
 * The verbatim text of consecutive sentences: sliced from the body where they share a block
 * (so the article's own spacing is kept), joined with " … " across a paragraph break.
 */
export function snippetText(window: readonly Passage[], body: string): string {
  const parts: string[] = [];
  let runStart = window[0]!;
  let runEnd = window[0]!;
  for (const passage of window.slice(1)) {
    if (passage.block === runEnd.block && passage.sentence === runEnd.sentence + 1) {
      runEnd = passage;
      continue;
    }
    parts.push(body.slice(runStart.start, runEnd.end));
    runStart = passage;
    runEnd = passage;
  }
  parts.push(body.slice(runStart.start, runEnd.end));
  return parts.join(GAP);
}

/** Spans of `snippet` whose analysed terms are in `terms`; adjacent spans are merged. */
export function highlightsOf(snippet: string, terms: ReadonlySet<string>): Highlight[] {
  // analyze() reports spans of the normalised text, which NFKC may make longer ("…" -> "...").
  const toOriginal = originalOffsets(snippet);
  const spans: Array<[number, number]> = [];
  for (const token of analyze(snippet)) {
    if (!terms.has(token.term)) continue;
    const start = toOriginal[token.start]!;
    const end = toOriginal[token.end]!;
    const last = spans.at(-1);
    if (last && /^[\s-]*$/.test(snippet.slice(last[1], start))) last[1] = end;
    else spans.push([start, end]);
  }
  return spans;
}

/** For each offset of the normalised text (and its end), the offset in `text` it came from. */
function originalOffsets(text: string): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const char of text) {
    // ASCII normalises to itself; only other characters may change length.
    const length = char.charCodeAt(0) < 128 ? 1 : normalizeText(char).length;
    for (let i = 0; i < length; i++) offsets.push(at);
    at += char.length;
  }
  offsets.push(at);
  return offsets;
}
