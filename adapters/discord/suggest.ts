import type { Engine } from '../../src/answering/engine.ts';
import { STOP_WORDS } from '../../src/conversation/index.ts';

/** Autocomplete for a partly typed question: at most `limit` suggestions, each at most 100 characters. */
export type Suggester = (typed: string, limit?: number) => string[];

/** Discord's limits on autocomplete: 25 choices, 100 characters per name and value. */
export const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;
const WORD = /\p{L}[\p{L}\p{N}'’-]*/gu;

interface Vocabulary {
  signature: string;
  titles: string[];
  /** Corpus words, most frequent first, in their most common spelling. */
  words: Array<{ key: string; word: string }>;
}

/** Corpus words, most frequent first, each in its most common spelling (stop words and short words left out). */
function wordsOf(engine: Engine, docIds: readonly string[]): Vocabulary['words'] {
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const docId of docIds) {
    for (const passage of engine.passages(docId)) {
      for (const word of passage.text.match(WORD) ?? []) {
        const key = word.toLowerCase();
        if (key.length < 3 || STOP_WORDS.has(key)) continue;
        const entry = counts.get(key) ?? { count: 0, spellings: new Map() };
        entry.count++;
        entry.spellings.set(word, (entry.spellings.get(word) ?? 0) + 1);
        counts.set(key, entry);
      }
    }
  }
  return [...counts]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([key, entry]) => ({
      key,
      word: [...entry.spellings].sort((a, b) => b[1] - a[1])[0]?.[0] ?? key,
    }));
}

/** The suggestions for `typed` from a vocabulary: what was typed, fitting titles, then completed words. */
function suggest({ titles, words }: Vocabulary, typed: string, limit: number): string[] {
  const text = typed.replace(/\s+/g, ' ').trimStart();
  const out: string[] = [];
  const add = (suggestion: string) => {
    const clipped = suggestion.slice(0, MAX_CHOICE_LENGTH).trim();
    if (clipped && !out.includes(clipped) && out.length < limit) out.push(clipped);
  };
  if (!text.trim()) {
    for (const title of titles) add(title);
    return out;
  }
  // What the user typed stays the first choice, so picking a suggestion never loses it.
  add(text);
  const lastSpace = text.lastIndexOf(' ');
  const head = text.slice(0, lastSpace + 1);
  const partial = text.slice(lastSpace + 1).toLowerCase();
  // A title fits when each typed word that carries meaning starts one of its words.
  const typedWords = (text.toLowerCase().match(WORD) ?? []).filter((w) => !STOP_WORDS.has(w));
  if (typedWords.length) {
    for (const title of titles) {
      const titleWords = title.toLowerCase().match(WORD) ?? [];
      if (typedWords.every((w) => titleWords.some((t) => t.startsWith(w)))) add(title);
    }
  }
  if (partial) {
    for (const { key, word } of words) {
      if (out.length >= limit) break;
      if (key.startsWith(partial) && key !== partial) add(head + word);
    }
  }
  return out;
}

/**
 * Suggests article titles and corpus words completing the last typed word ("putin al" ->
 * "putin alaska"). The vocabulary is built once and rebuilt only when the corpus changes.
 */
export function createSuggester(engine: Engine): Suggester {
  let vocabulary: Vocabulary | undefined;
  const current = (): Vocabulary => {
    const articles = engine.articles();
    const signature = articles
      .map((a) => `${a.docId}:${engine.document(a.docId)?.contentHash ?? ''}`)
      .join('|');
    if (vocabulary?.signature !== signature)
      vocabulary = {
        signature,
        titles: articles.map((a) => a.title),
        words: wordsOf(
          engine,
          articles.map((a) => a.docId),
        ),
      };
    return vocabulary;
  };
  return (typed, limit = MAX_CHOICES) => suggest(current(), typed, limit);
}
