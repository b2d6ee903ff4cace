import { stemmer } from 'stemmer';
import aliasData from './aliases.json' with { type: 'json' };
import { foldCase, normalizeMarks } from './normalize.ts';
import { STOP_WORDS } from './stop-words.ts';

/** One index term with the span of original text it came from (for highlighting). */
export interface Token {
  /** The processed term: alias-resolved, case-folded, stemmed. */
  term: string;
  /** Offset of the first character in the analysed text. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

// Abbreviations with dots ("U.S."), numbers with separators ("880,000", "3.5"), words with
// inner apostrophes ("Ukraine's"). Hyphens split ("Russia-U.S." -> "Russia", "U.S.").
const TOKEN_PATTERN = /(?:\p{L}\.){2,}|\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}]+(?:['\u2019\u02BC]\p{L}+)*/gu;

interface AliasTables {
  exact: Map<string, string>;
  folded: Map<string, string>;
  phrases: Map<string, string>;
  /** First words of the phrases, so most words skip the phrase lookup. */
  phraseStarts: Set<string>;
  longestPhrase: number;
}

/** Canonical term for every spelling in aliases.json, built once. */
export const ALIASES: AliasTables = buildAliasTables(aliasData);

function buildAliasTables(data: {
  aliases: Record<string, string[]>;
  caseSensitive: Record<string, string[]>;
}): AliasTables {
  const exact = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(data.caseSensitive)) {
    for (const variant of variants) exact.set(stripDots(variant), canonical);
  }
  const folded = new Map<string, string>();
  const phrases = new Map<string, string>();
  let longestPhrase = 1;
  const entries = Object.entries(data.aliases).flatMap(([canonical, variants]) =>
    [canonical, ...variants].map((variant) => ({
      canonical,
      words: [...variant.matchAll(TOKEN_PATTERN)].map((m) => foldCase(stripDots(m[0]))),
    })),
  );
  for (const { canonical, words } of entries) if (words.length === 1) folded.set(words[0]!, canonical);
  // Phrases are keyed by their words' own aliases ("united states of america" -> "united states of usa"),
  // which is how analyze() sees them.
  for (const { canonical, words } of entries) {
    if (words.length === 1) continue;
    phrases.set(words.map((w) => exact.get(w) ?? folded.get(w) ?? w).join(' '), canonical);
    longestPhrase = Math.max(longestPhrase, words.length);
  }
  const phraseStarts = new Set([...phrases.keys()].map((key) => key.split(' ')[0]!));
  return { exact, folded, phrases, phraseStarts, longestPhrase };
}

function stripDots(word: string): string {
  return /^(?:\p{L}\.)+$/u.test(word) ? word.replaceAll('.', '') : word;
}

interface Word {
  /** Case-folded, dot-stripped, possessive-stripped surface form. */
  form: string;
  /** Set when the word resolved to a canonical alias (which is never stemmed or dropped). */
  canonical?: string;
  start: number;
  end: number;
}

// Corpus text repeats its words endlessly: the per-word work (folding, aliases, stemming) is done
// once per distinct spelling. Bounded so a stream of unique strings cannot grow it without limit.
// Process-wide on purpose: both map a word to what the shipped aliases, stop words and stemmer
// make of it, the same for every engine; sharing them changes only how fast, never what.
const CACHE_LIMIT = 200_000;
const wordCache = new Map<string, { form: string; canonical?: string }>();
const termCache = new Map<string, string | null>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** What a token's text, as matched, makes: NFKC and marks normalised, then folded and aliased. */
function wordOf(raw: string): { form: string; canonical?: string } {
  // Keyed by the text as matched: a repeated word skips its normalisation too.
  const known = wordCache.get(raw);
  if (known) return known;
  const normalized = normalizeMarks(raw.normalize('NFKC'));
  const trimmed = normalized.replace(/'s$/i, '').replace(/'$/, '');
  const bare = stripDots(trimmed);
  const form = foldCase(bare).replaceAll("'", '');
  const canonical = ALIASES.exact.get(bare) ?? ALIASES.folded.get(form);
  return remember(wordCache, raw, canonical ? { form, canonical } : { form });
}

/** Split text into words with their spans, resolving single-word aliases. */
function words(text: string): Word[] {
  // Split on a length-preserving normalisation, so spans are offsets into `text`; NFKC (which
  // can change lengths: "…" becomes "...") applies to each token afterwards.
  const out: Word[] = [];
  for (const match of normalizeMarks(text).matchAll(TOKEN_PATTERN)) {
    const start = match.index;
    const { form, canonical } = wordOf(match[0]);
    const end = start + match[0].length;
    out.push(canonical ? { form, canonical, start, end } : { form, start, end });
  }
  return out;
}

/**
 * Analyse text into index terms with spans: normalise, split, resolve aliases (phrases first,
 * longest match), drop stop words, stem. Used for documents and questions alike.
 */
export function analyze(text: string): Token[] {
  const ws = words(text);
  const tokens: Token[] = [];
  for (let i = 0; i < ws.length; i++) {
    const phrase = matchPhrase(ws, i);
    if (phrase) {
      tokens.push({ term: phrase.canonical, start: ws[i]!.start, end: ws[i + phrase.length - 1]!.end });
      i += phrase.length - 1;
      continue;
    }
    const word = ws[i]!;
    if (word.canonical) {
      tokens.push({ term: word.canonical, start: word.start, end: word.end });
      continue;
    }
    const term = termOf(word.form);
    if (term) tokens.push({ term, start: word.start, end: word.end });
  }
  return tokens;
}

/** Just the terms of {@link analyze}: the MiniSearch tokenizer. */
export function analyzeTerms(text: string): string[] {
  return analyze(text).map((token) => token.term);
}

/** Stem one folded word, or null for a stop word. Numbers lose their thousands separators. */
export function termOf(form: string): string | null {
  const known = termCache.get(form);
  return known !== undefined ? known : remember(termCache, form, computeTerm(form));
}

function computeTerm(form: string): string | null {
  if (STOP_WORDS.has(form)) return null;
  if (/^\p{N}/u.test(form)) return form.replace(/,(?=\d{3}\b)/g, '');
  if (form.length === 1) return null;
  return stemmer(form);
}

function matchPhrase(ws: Word[], at: number): { canonical: string; length: number } | undefined {
  const first = ws[at]!;
  if (!ALIASES.phraseStarts.has(first.canonical ?? first.form)) return undefined;
  const max = Math.min(ALIASES.longestPhrase, ws.length - at);
  for (let length = max; length >= 2; length--) {
    const key = ws
      .slice(at, at + length)
      .map((w) => w.canonical ?? w.form)
      .join(' ');
    const canonical = ALIASES.phrases.get(key);
    if (canonical) return { canonical, length };
  }
  return undefined;
}
