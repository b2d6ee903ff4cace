import type { Answer, Citation, RelatedArticle } from './types.ts';

/** How a renderer marks matched terms; plain text leaves them as they are. */
export type Emphasis = (text: string) => string;

/** "Title — Outlet, 2025-08-21" (the citation line every surface uses). */
export function sourceLine(article: RelatedArticle): string {
  return `${article.title} — ${article.source}, ${article.published}`;
}

/** A snippet with its highlighted spans passed through `emphasise`. */
export function emphasiseSnippet(
  citation: Pick<Citation, 'snippet' | 'highlights'>,
  emphasise: Emphasis,
): string {
  let out = '';
  let at = 0;
  for (const [start, end] of citation.highlights) {
    out += citation.snippet.slice(at, start) + emphasise(citation.snippet.slice(start, end));
    at = end;
  }
  return out + citation.snippet.slice(at);
}

/** The wording for a question the sources do not answer (shared by every surface). */
export const DECLINE_MESSAGE = 'The sources do not answer that question.';

/** "Silent on this: Title — Outlet, date; …" for a comparison's documents that say nothing on the topic. */
export function silentLine(silent: readonly RelatedArticle[]): string {
  return `Silent on this: ${silent.map(sourceLine).join('; ')}.`;
}

/** Render an answer for a terminal: quoted snippets with [n] markers, then the numbered sources. */
export function renderText(answer: Omit<Answer, 'text'>, emphasise: Emphasis = (text) => text): string {
  if (answer.kind !== 'answer') {
    const lines = [answer.heading ?? ''];
    for (const citation of answer.citations) {
      lines.push(
        '',
        `[${citation.n}] ${citation.label ?? sourceLine(citation)}`,
        `“${emphasiseSnippet(citation, emphasise)}”`,
      );
    }
    if (answer.silent.length) lines.push('', silentLine(answer.silent));
    if (answer.citations.length) {
      lines.push('', 'Sources:');
      for (const c of answer.citations) lines.push(`[${c.n}] ${sourceLine(c)}${c.url ? ` <${c.url}>` : ''}`);
    }
    if (answer.asOf) lines.push('', `As of ${answer.asOf} (newest source cited).`);
    return lines.join('\n');
  }
  if (!answer.answered) {
    const lines = [DECLINE_MESSAGE];
    if (answer.related.length) {
      lines.push('', 'Closest articles:');
      for (const article of answer.related)
        lines.push(`- ${sourceLine(article)}${article.url ? ` <${article.url}>` : ''}`);
    }
    return lines.join('\n');
  }
  const lines = answer.citations.map(
    (citation) => `“${emphasiseSnippet(citation, emphasise)}” [${citation.n}]`,
  );
  lines.push('');
  for (const citation of answer.citations) {
    lines.push(`[${citation.n}] ${sourceLine(citation)}${citation.url ? ` <${citation.url}>` : ''}`);
  }
  if (answer.asOf) lines.push('', `As of ${answer.asOf} (newest source cited).`);
  return lines.join('\n');
}
