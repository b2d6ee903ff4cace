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

/** The heading over the related articles listed with a declined question. */
export const RELATED_HEADING = 'Closest articles:';

/** "As of 2025-11-20 (newest source cited)." under an answer. */
export function asOfLine(asOf: string): string {
  return `As of ${asOf} (newest source cited).`;
}

/** Render an answer for a terminal: quoted snippets with [n] markers, then the numbered sources. */
export function renderText(answer: Omit<Answer, 'text'>, emphasise: Emphasis = (text) => text): string {
  if (!answer.answered) {
    const lines = [DECLINE_MESSAGE];
    if (answer.related.length) {
      lines.push('', RELATED_HEADING);
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
  if (answer.asOf) lines.push('', asOfLine(answer.asOf));
  return lines.join('\n');
}
