// Every user-facing wording of peacedesk, shared by every surface (Slack, Discord, the terminal).
import type { Answer, Citation, Highlight, RelatedArticle } from '../answering/types.ts';

export { addUsage, NOT_AN_EDITOR_MESSAGE } from '../corpus/link-adder.ts';

/** How a renderer marks matched terms; plain text leaves them as they are. */
export type Emphasis = (text: string) => string;

/** "Title — Outlet, 2025-08-21" (the citation line every surface uses). */
export function sourceLine(article: RelatedArticle): string {
  return `${article.title} — ${article.source}, ${article.published}`;
}

/**
 * A snippet with its highlighted spans passed through `emphasise` and the rest through `plain`
 * (a renderer that must escape markup escapes each piece before adding its own).
 */
export function emphasiseSnippet(
  citation: { snippet: string; highlights: readonly Highlight[] },
  emphasise: Emphasis,
  plain: Emphasis = (text) => text,
): string {
  let out = '';
  let at = 0;
  for (const [start, end] of citation.highlights) {
    out += plain(citation.snippet.slice(at, start)) + emphasise(citation.snippet.slice(start, end));
    at = end;
  }
  return out + plain(citation.snippet.slice(at));
}

/** The wording for a question the sources do not answer (shared by every surface). */
export const DECLINE_MESSAGE = 'The sources do not answer that question.';

/** The wording for a question that is not in English (shared by every surface). */
export const NOT_ENGLISH_MESSAGE =
  'The articles are in English and questions are matched against their English words: please ask in English, e.g. "What does the US draft say about NATO?"';

/** What a declined answer says, by its reason. */
export function declineMessage(answer: Pick<Answer, 'declineReason'>): string {
  return answer.declineReason === 'not_english' ? NOT_ENGLISH_MESSAGE : DECLINE_MESSAGE;
}

/** Two questions the shipped articles answer, offered in the reply to small talk. */
export const EXAMPLE_QUESTIONS = [
  'What does the US draft say about NATO?',
  'How much of the Donbas does Russia control?',
] as const;

/** The reply to small talk ("hi", "help", "thanks", "what can you do"): what the bot does, two examples. */
export const USAGE_MESSAGE = [
  'I answer questions about the Russia–Ukraine peace proposals by quoting the articles I have, with their sources, and I say so when they are silent.',
  'Try, for example:',
  ...EXAMPLE_QUESTIONS.map((q) => `- ${q}`),
].join('\n');

/** "Silent on this: Title — Outlet, date; …" for a comparison's documents that say nothing on the topic. */
export function silentLine(silent: readonly RelatedArticle[]): string {
  return `Silent on this: ${silent.map(sourceLine).join('; ')}.`;
}

/** The heading over the related articles listed with a declined question. */
export const RELATED_HEADING = 'Closest articles:';

/** "Following on from: <question> (kept: …)" above a follow-up's answer (shared by every surface). */
export function followsOnLine(followsOn: NonNullable<Answer['followsOn']>): string {
  const kept = followsOn.inherited.length ? ` (kept: ${followsOn.inherited.join('; ')})` : '';
  return `Following on from: ${followsOn.question}${kept}`;
}

/** "As of 2025-08-21 (newest source cited)." under an answer. */
export function asOfLine(asOf: string): string {
  return `As of ${asOf} (newest source cited).`;
}

/** What a user sees when handling their request failed on our side (no details, never a stack). */
export const APOLOGY_MESSAGE = 'Sorry, something went wrong while answering. Please try again in a moment.';

/** What a user sees when they ask faster than the per-user limit allows. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds));
  return `You are asking quickly; please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`;
}

/** The acknowledgement of a vote with the answer's tally so far (Slack shows it under the answer). */
export function voteRecordedMessage(value: 'up' | 'down', tally: { up: number; down: number }): string {
  return `Thanks, your ${value === 'up' ? '👍' : '👎'} is recorded (👍 ${tally.up} · 👎 ${tally.down}).`;
}

/** The private acknowledgement of a 👍/👎 on an answer. */
export function voteThanksMessage(value: 'up' | 'down'): string {
  return value === 'up' ? 'Thanks, glad it helped.' : 'Thanks, noted: this answer did not help.';
}

/** "  Updated 3 Dec 2026: this sentence now reads …" under a quote whose article was corrected. */
export function noteLines(citation: Pick<Citation, 'notes'>): string[] {
  return (citation.notes ?? []).map((note) => `  ${note.text}`);
}

/** " (also published by AP, 2025-11-21)" after a source with syndicated copies. */
export function alsoPublished(citation: Pick<Citation, 'alsoPublishedBy'>): string {
  const copies = citation.alsoPublishedBy ?? [];
  if (!copies.length) return '';
  return ` (also published by ${copies.map((c) => `${c.source}, ${c.published}`).join('; ')})`;
}

/** Said for a claim of "find sources for this" that no article bears on. */
export const NO_SOURCE_MESSAGE = 'No article bears on this.';

/** The heading of the coverage-gap section of a digest (and of `/gaps`, the App Home). */
export const GAPS_HEADING = 'Asked but not in the sources';

/** "3× by 2 people" (a gap's count and distinct askers). */
export function gapCountText(gap: { count: number; askers: number }): string {
  return `${gap.count}× by ${gap.askers} ${gap.askers === 1 ? 'person' : 'people'}`;
}

/** The label of the button that re-posts a private answer in the channel. */
export const SHARE_LABEL = 'Share in channel';

/** Said when Share is pressed under an answer that is no longer kept (it is never asked again to share it). */
export const SHARE_FORGOTTEN_MESSAGE = 'That answer is no longer kept; ask again to share it.';
