import { PeacedeskError } from '../errors.ts';
import { normalizeText } from '../text/normalize.ts';
import { MONTH_NAMES } from './question.ts';

const COMPARE =
  /\b(?:compare[sd]?|comparing|comparison|differ|differs|differed|difference|differences|contrast|versus|vs\.?|side[- ]by[- ]side|stack up)\b/i;
// A request for one ("timeline of the talks", "Timeline on NATO", "the chronology"), not a question
// about a timeline the articles describe ("Which timeline is expanded in the fourth scale?").
const TIMELINE_WORD =
  /^\s*(?:(?:give|show|make|send)(?: me| us)? |what(?:'s| is) )?(?:a |the )?(?:timeline|chronology)\b|\b(?:timeline|chronology) (?:of|on|for|about)\b|\b(?:chang|mov|shift|evolv)\w* over time\b/i;
const CHANGE_WORD = /\b(?:chang\w*|mov(?:ed|es)|evolv\w*|shift\w*|new)\b/i;
const SINCE_CLAUSE = /\bsince\s+(.+?)\s*[?.!]*$/i;

// "Compared with a US state" compares something else: a comparison of proposals names what it
// compares (plans, drafts, terms, positions…) or starts with the verb ("Compare Russia and the US on NATO").
const WHAT_IS_COMPARED =
  /\b(?:proposals?|plans?|drafts?|terms|positions?|offers?|demands?|sides?|documents?|articles?|deals?|frameworks?|versions?|stances?)\b/i;
const STARTS_WITH_COMPARE = /^\s*(?:compare|contrast)\b/i;

/** Whether a question asks to compare proposals ("How do X and Y differ on territory?"). */
export function asksToCompare(question: string): boolean {
  const text = normalizeText(question);
  return COMPARE.test(text) && (WHAT_IS_COMPARED.test(text) || STARTS_WITH_COMPARE.test(text));
}

/**
 * Whether a question asks how positions moved ("What has changed since August?", "How has
 * Russia's position on NATO changed?", "timeline of …"). Read from where the change word stands,
 * not from its presence: in "What is the only form energy can change into?" or "What is the
 * rate of change of charge?" it is part of what is asked about, and the question wants a fact.
 */
export function asksForTimeline(question: string): boolean {
  const text = normalizeText(question);
  return (
    TIMELINE_WORD.test(text) ||
    CHANGE_ASKED.test(text) ||
    (WHATS_NEW.test(text) && !NEW_AS_NAME.test(text)) ||
    CHANGE_ENDS_QUESTION.test(text) ||
    (CHANGE_WORD.test(text) && SINCE_CLAUSE.test(text))
  );
}

// "What (has) changed …", "What has moved …": the change is what is asked for (not "What changes X?").
const CHANGE_ASKED = /^\s*what(?:'s| has| have)?(?: really)? (?:changed|moved|shifted|evolved)\b/i;
// "What's new?", "What is new on sanctions?" (not "What is New France?": a name).
const WHATS_NEW = /^\s*what(?:'s| is| has been)? new\b/i;
const NEW_AS_NAME = /^\s*[Ww]hat(?:'s| is| has been)? New \p{Lu}/u;
// "How has Russia's position on NATO changed (over the year)?": present perfect, the change last.
const CHANGE_ENDS_QUESTION =
  /^\s*how (?:has|have)\b.*\b(?:chang|mov|shift|evolv)\w*\b(?:\s+(?:over|since|in|during)\b[^?]*)?\s*[?.!]*\s*$/i;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;

/**
 * Read a start date from "since …" in a question or a `--since` value: "2025-08-01", "August",
 * "Aug 2025", "August 21, 2025", "2025", "last month". A month without a year is its latest
 * start not after today. Returns YYYY-MM-DD, or null when the text names no date.
 */
export function parseSince(text: string, today: Date): string | null {
  const clause = SINCE_CLAUSE.exec(normalizeText(text))?.[1] ?? text;
  const value = clause.trim().toLowerCase().replace(/,/g, '');
  const year = today.getUTCFullYear();
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (isoMatch) {
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(value)) {
      throw new PeacedeskError('invalid_date', `"${clause}" is not a real date; write it as YYYY-MM-DD.`);
    }
    return value;
  }
  if (/^\d{4}$/.test(value)) return `${value}-01-01`;
  if (value === 'yesterday' || value === 'today') {
    const d = new Date(today);
    if (value === 'yesterday') d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  if (/^last (?:week|month|year)$/.test(value)) {
    const d = new Date(today);
    if (value.endsWith('week')) d.setUTCDate(d.getUTCDate() - 7);
    else if (value.endsWith('month')) d.setUTCMonth(d.getUTCMonth() - 1);
    else d.setUTCFullYear(d.getUTCFullYear() - 1);
    return d.toISOString().slice(0, 10);
  }
  const monthMatch = /^([a-z]+)\.?(?:\s+(\d{1,2}))?(?:\s+(\d{4}))?$/.exec(value);
  if (monthMatch) {
    const month =
      MONTH_NAMES.findIndex((m) => m.startsWith(monthMatch[1]!) && monthMatch[1]!.length >= 3) + 1;
    if (month > 0) {
      const day = Number(monthMatch[2] ?? 1);
      let y = monthMatch[3] ? Number(monthMatch[3]) : year;
      if (!monthMatch[3] && iso(y, month, day) > today.toISOString().slice(0, 10)) y -= 1;
      return iso(y, month, Math.min(day, 28 + 3));
    }
  }
  return null;
}
