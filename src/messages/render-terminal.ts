import type { Answer } from '../answering/types.ts';
import { type AnswerMessage, answerMessageOf, type QuoteBlock, type SourceRef } from './answer-message.ts';
import { type Emphasis, emphasiseSnippet, sourceLine } from './strings.ts';

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
  return renderMessageText(answerMessageOf(answer), emphasise, options);
}

/** The terminal text of a neutral answer message (the plain fallback of the platforms, too). */
export function renderMessageText(
  message: AnswerMessage,
  emphasise: Emphasis = (text) => text,
  options: RenderTextOptions = {},
): string {
  const body = renderBody(message, emphasise, options);
  return message.followsOn ? `${message.followsOn}\n\n${body}` : body;
}

const linked = (source: SourceRef) => `${sourceLine(source)}${source.url ? ` <${source.url}>` : ''}`;
const notes = (quote: QuoteBlock) => quote.notes.map((note) => `  ${note}`);

function renderBody(message: AnswerMessage, emphasise: Emphasis, options: RenderTextOptions): string {
  if (message.kind === 'usage') return message.body ?? '';
  if (message.kind === 'comparison' || message.kind === 'timeline') {
    const lines = [message.heading ?? ''];
    for (const quote of message.quotes) {
      lines.push(
        '',
        `[${quote.n}] ${quote.label ?? sourceLine(quote.source)}`,
        `“${emphasiseSnippet(quote, emphasise)}”`,
        ...notes(quote),
      );
    }
    if (message.silentLine) lines.push('', message.silentLine);
    if (message.quotes.length) {
      lines.push('', 'Sources:');
      for (const q of message.quotes) lines.push(`[${q.n}] ${linked(q.source)}${q.alsoPublished}`);
    }
    if (message.asOf) lines.push('', message.asOf);
    return lines.join('\n');
  }
  if (message.kind === 'decline') {
    const lines = [message.body ?? ''];
    if (message.related.length) {
      lines.push('', message.relatedHeading);
      for (const article of message.related) lines.push(`- ${linked(article)}`);
    }
    return lines.join('\n');
  }
  const lines = message.quotes.flatMap((quote) => [
    `“${emphasiseSnippet(quote, emphasise)}” [${quote.n}]`,
    ...notes(quote),
  ]);
  lines.push('');
  const sources = new Map<string, { markers: string[]; quote: QuoteBlock }>();
  for (const quote of message.quotes) {
    const key = options.groupSources ? quote.source.docId : String(quote.n);
    const entry = sources.get(key) ?? { markers: [], quote };
    entry.markers.push(`[${quote.n}]`);
    sources.set(key, entry);
  }
  for (const { markers, quote } of sources.values())
    lines.push(`${markers.join(' ')} ${linked(quote.source)}${quote.alsoPublished}`);
  if (message.asOf) lines.push('', message.asOf);
  return lines.join('\n');
}
