import type { AnswerOptions } from '../answering/engine.ts';
import type { Answer, Citation } from '../answering/types.ts';
import { isPeacedeskError, PeacedeskError } from '../errors.ts';
import { sentenceSpans } from '../text/sentences.ts';

// "Find sources for this": each claim (sentence) of a message is asked as a question; the
// passages that answer it are shown verbatim. Where a passage gives another figure or date than
// the claim, the two are set side by side. It never says whether a claim is true.

/** Longest text accepted, in characters (a long message or a short draft). */
export const MAX_SOURCES_TEXT = 4000;
/** Most claims looked up in one text; the rest are named as skipped. */
export const MAX_CLAIMS = 10;
/** Passages shown per claim. */
const PASSAGES_PER_CLAIM = 2;

/** What the engine is asked for each claim (an awaited answer, so a slower engine fits too). */
export interface SourcesEngine {
  answerAsync(question: string, options?: AnswerOptions): Promise<Answer>;
}

/** A figure or date a passage gives where the claim gives another. */
export interface Difference {
  kind: 'figure' | 'date';
  /** As written in the claim ("800,000"). */
  claim: string;
  /** As written in the passage ("880,000", "600,000"). */
  passage: string[];
}

/** One passage bearing on a claim, with what it says differently. */
export interface ClaimPassage {
  citation: Citation;
  differences: Difference[];
}

/** One claim of the text and the passages that bear on it (none: no article bears on it). */
export interface ClaimSources {
  claim: string;
  passages: ClaimPassage[];
  /** Why the claim could not be looked up (a sentence the engine refuses), else null. */
  problem: string | null;
}

/** The claims of a text and their sources, plus how many claims were beyond {@link MAX_CLAIMS}. */
export interface SourcesReport {
  claims: ClaimSources[];
  skipped: number;
}

/** The claims of a text: its sentences that hold a word (greetings and links count too; the engine declines them). */
export function splitClaims(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((block) => sentenceSpans(block).map(({ start, end }) => block.slice(start, end)))
    .map((s) => s.replace(/^[\s>*•\-–]+/, '').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const MONTHS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/gi;
const NUMBER =
  /(?<![\p{L}\p{N}])(\d{1,3}(?:[,\u202f ]\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|per ?cent|percent|million|billion|thousand))?/giu;
const SCALE: Record<string, number> = { million: 1e6, billion: 1e9, thousand: 1e3 };

interface Mention {
  written: string;
  value: number;
}

const isYear = (n: number, written: string) => /^\d{4}$/.test(written) && n >= 1900 && n <= 2100;

function figuresOf(text: string): { figures: Mention[]; years: Mention[]; months: string[] } {
  const figures: Mention[] = [];
  const years: Mention[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const digits = m[1]!.replace(/[,\u202f ]/g, '');
    const unit = (m[2] ?? '').trim().toLowerCase();
    const value = Number(digits) * (SCALE[unit] ?? 1);
    if (!Number.isFinite(value)) continue;
    const written = m[0].trim();
    if (!unit && isYear(value, m[1]!)) years.push({ written, value });
    else figures.push({ written, value: unit.includes('cent') || unit === '%' ? -value : value });
  }
  const months = [...text.matchAll(MONTHS)].map((m) => m[0].slice(0, 3).toLowerCase());
  return { figures, years, months };
}

/**
 * Figures and dates in the claim that the passage gives otherwise: a claim figure the passage
 * does not hold while the passage gives figures of the same kind (a share, a count); a year or
 * month the passage does not name while it names others.
 */
export function differencesOf(claim: string, passage: string): Difference[] {
  const c = figuresOf(claim);
  const p = figuresOf(passage);
  const out: Difference[] = [];
  for (const figure of c.figures) {
    if (p.figures.some((f) => f.value === figure.value)) continue;
    // Percentages (negative here) are compared with percentages, counts with counts.
    const sameKind = p.figures.filter((f) => Math.sign(f.value) === Math.sign(figure.value));
    if (sameKind.length)
      out.push({ kind: 'figure', claim: figure.written, passage: sameKind.map((f) => f.written) });
  }
  for (const year of c.years) {
    if (p.years.length && !p.years.some((y) => y.value === year.value))
      out.push({ kind: 'date', claim: year.written, passage: p.years.map((y) => y.written) });
  }
  const claimMonths = [...c.months.entries()];
  for (const [, month] of claimMonths) {
    if (p.months.length && !p.months.includes(month)) {
      const written = [...claim.matchAll(MONTHS)].find((m) => m[0].slice(0, 3).toLowerCase() === month)![0];
      const passageMonths = [...passage.matchAll(MONTHS)].map((m) => m[0]);
      out.push({ kind: 'date', claim: written, passage: [...new Set(passageMonths)] });
    }
  }
  return out;
}

/**
 * Find the passages that bear on each claim of `text`. Throws PeacedeskError `empty_question` for
 * a text with no words, `question_too_long` beyond {@link MAX_SOURCES_TEXT} characters.
 */
export async function findSources(engine: SourcesEngine, text: string): Promise<SourcesReport> {
  if (typeof text !== 'string' || !/[\p{L}\p{N}]/u.test(text)) {
    throw new PeacedeskError(
      'empty_question',
      'Give a text to find sources for, e.g. a message or a draft sentence.',
    );
  }
  if (text.length > MAX_SOURCES_TEXT) {
    throw new PeacedeskError(
      'question_too_long',
      `That text is ${text.length.toLocaleString('en-US')} characters long; find sources for at most ${MAX_SOURCES_TEXT.toLocaleString('en-US')} at a time.`,
      { length: text.length },
    );
  }
  const all = splitClaims(text);
  const claims: ClaimSources[] = [];
  for (const claim of all.slice(0, MAX_CLAIMS)) {
    try {
      const answer = await engine.answerAsync(claim, { maxCitations: PASSAGES_PER_CLAIM, claim: true });
      const citations = answer.kind === 'answer' && answer.answered ? answer.citations : [];
      claims.push({
        claim,
        passages: citations.map((citation) => ({
          citation,
          differences: differencesOf(claim, citation.snippet),
        })),
        problem: null,
      });
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      claims.push({ claim, passages: [], problem: error.message });
    }
  }
  return { claims, skipped: Math.max(0, all.length - MAX_CLAIMS) };
}
