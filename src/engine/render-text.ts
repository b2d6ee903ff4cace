import type { Answer, Citation, RelatedArticle } from '../answering/types.ts';

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
  citation: Pick<Citation, 'snippet' | 'highlights'>,
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

/** Options of {@link renderText}. */
export interface RenderTextOptions {
  /** List each cited article once, with all its markers ("[1] [3] Title — Outlet, date"); for terminals. */
  groupSources?: boolean;
}

/** Render an answer for a terminal: quoted snippets with [n] markers, then the numbered sources. */
export function renderText(
  answer: Omit<Answer, 'text'>,
  emphasise: Emphasis = (text) => text,
  options: RenderTextOptions = {},
): string {
  const body = renderBody(answer, emphasise, options);
  return answer.followsOn ? `${followsOnLine(answer.followsOn)}\n\n${body}` : body;
}

/** "Following on from: <question> (kept: …)" above a follow-up's answer (shared by every surface). */
export function followsOnLine(followsOn: NonNullable<Answer['followsOn']>): string {
  const kept = followsOn.inherited.length ? ` (kept: ${followsOn.inherited.join('; ')})` : '';
  return `Following on from: ${followsOn.question}${kept}`;
}

function renderBody(answer: Omit<Answer, 'text'>, emphasise: Emphasis, options: RenderTextOptions): string {
  if (answer.kind === 'usage') return USAGE_MESSAGE;
  if (answer.kind !== 'answer') {
    const lines = [answer.heading ?? ''];
    for (const citation of answer.citations) {
      lines.push(
        '',
        `[${citation.n}] ${citation.label ?? sourceLine(citation)}`,
        `“${emphasiseSnippet(citation, emphasise)}”`,
        ...noteLines(citation),
      );
    }
    if (answer.silent.length) lines.push('', silentLine(answer.silent));
    if (answer.citations.length) {
      lines.push('', 'Sources:');
      for (const c of answer.citations)
        lines.push(`[${c.n}] ${sourceLine(c)}${c.url ? ` <${c.url}>` : ''}${alsoPublished(c)}`);
    }
    if (answer.asOf) lines.push('', asOfLine(answer.asOf));
    return lines.join('\n');
  }
  if (!answer.answered) {
    const lines = [declineMessage(answer)];
    if (answer.related.length) {
      lines.push('', RELATED_HEADING);
      for (const article of answer.related)
        lines.push(`- ${sourceLine(article)}${article.url ? ` <${article.url}>` : ''}`);
    }
    return lines.join('\n');
  }
  const lines = answer.citations.flatMap((citation) => [
    `“${emphasiseSnippet(citation, emphasise)}” [${citation.n}]`,
    ...noteLines(citation),
  ]);
  lines.push('');
  const sources = new Map<string, { markers: string[]; citation: Citation }>();
  for (const citation of answer.citations) {
    const key = options.groupSources ? citation.docId : String(citation.n);
    const entry = sources.get(key) ?? { markers: [], citation };
    entry.markers.push(`[${citation.n}]`);
    sources.set(key, entry);
  }
  for (const { markers, citation } of sources.values()) {
    lines.push(
      `${markers.join(' ')} ${sourceLine(citation)}${citation.url ? ` <${citation.url}>` : ''}${alsoPublished(citation)}`,
    );
  }
  if (answer.asOf) lines.push('', asOfLine(answer.asOf));
  return lines.join('\n');
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

/** The private acknowledgement of a 👍/👎 on an answer. */
export function voteThanksMessage(value: 'up' | 'down'): string {
  return value === 'up' ? 'Thanks, glad it helped.' : 'Thanks, noted: this answer did not help.';
}

/** "  Updated 3 Dec 2026: this sentence now reads …" under a quote whose article was corrected. */
function noteLines(citation: Pick<Citation, 'notes'>): string[] {
  return (citation.notes ?? []).map((note) => `  ${note.text}`);
}

/** " (also published by AP, 2025-11-21)" after a source with syndicated copies. */
export function alsoPublished(citation: Pick<Citation, 'alsoPublishedBy'>): string {
  const copies = citation.alsoPublishedBy ?? [];
  if (!copies.length) return '';
  return ` (also published by ${copies.map((c) => `${c.source}, ${c.published}`).join('; ')})`;
}
