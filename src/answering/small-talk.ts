import { analyze, analyzeTerms } from '../text/analyze.ts';
import type { Lexicon } from '../text/lexicon.ts';
import { normalizeText } from '../text/normalize.ts';
import type { AnalyzedQuestion } from './question.ts';

// Words of greeting, thanks and asking for help: a message made only of them (and of words that
// carry no topic) is talk to the bot, not a question about the articles.
const SOCIAL_TERMS = new Set(
  analyzeTerms(
    `hi hello hey hiya howdy yo greetings thanks thank thx ty cheers help helping helpful bye goodbye
    ok okay great cool nice awesome good morning afternoon evening night welcome sorry anyone bot`,
  ),
);

/**
 * Whether a message is small talk: it holds no content word, only social words ("hi", "thanks",
 * "help") and words that say nothing about a topic ("what can you do", "what's new").
 */
export function isSmallTalk(question: AnalyzedQuestion): boolean {
  return question.terms.every((t) => t.salience < 1 || SOCIAL_TERMS.has(t.term));
}

// Below this share of English words (or words the articles use), a question in Latin script is
// taken to be in another language ("¿Qué propone Estados Unidos?").
const ENGLISH_SHARE = 0.34;

/**
 * Whether a question is not in English: mostly letters of another script ("Що пропонує США?"),
 * or, in Latin script, words that are neither everyday English nor the articles' own.
 */
export function isNotEnglish(
  question: string,
  lexicon: Lexicon,
  corpusHas: (term: string) => boolean,
): boolean {
  const text = normalizeText(question);
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = text.match(/\p{Script=Latin}/gu) ?? [];
  if (letters.length === 0) return false;
  if (latin.length * 2 < letters.length) return true;
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  if (words.length < 2) return false;
  const known = words.filter((word) => {
    if (lexicon.frequencyRank(word) !== undefined) return true;
    const [term] = analyze(word);
    return term === undefined || corpusHas(term.term);
  }).length;
  return known / words.length < ENGLISH_SHARE;
}
