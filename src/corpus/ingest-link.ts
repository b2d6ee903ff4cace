import { PeacedeskError } from '../errors.ts';
import { type Fetcher, parseUrl } from '../fetch/safe-fetch.ts';
import { splitSentences } from '../text/sentences.ts';
import { extractArticle } from './extract-article.ts';
import type { Ingester, IngestFields, IngestOutcome } from './ingest.ts';

/** What adding a link did: an ingest outcome, or why the page was not read. */
export type LinkOutcome = IngestOutcome | { action: 'refused'; message: string };

/** Fewest words an extracted text needs to count as an article (not a cookie wall or an index page). */
const MIN_ARTICLE_WORDS = 60;

/**
 * Fetch a page safely, read the article out of it and ingest it like any corpus file. Fields
 * given by the person (`fields`) override what the page says. Never throws for a bad link or
 * page: the outcome says what went wrong.
 */
export async function ingestLink(
  url: string,
  deps: { fetcher: Fetcher; ingester: Ingester },
  fields: IngestFields = {},
): Promise<LinkOutcome> {
  let page: Awaited<ReturnType<Fetcher>>;
  try {
    parseUrl(url);
    page = await deps.fetcher({ url, kind: 'html' });
  } catch (error) {
    if (error instanceof PeacedeskError) return { action: 'refused', message: error.message };
    throw error;
  }
  let article: ReturnType<typeof extractArticle>;
  try {
    article = extractArticle(page.text, page.url);
  } catch (error) {
    return {
      action: 'refused',
      message: `${url}: the page could not be read (${(error as Error).message}).`,
    };
  }
  const words = article.body.split(/\s+/).filter(Boolean).length;
  if (words < MIN_ARTICLE_WORDS)
    return {
      action: 'refused',
      message: `${url}: no article text found on the page (${words} words); is it an article, or behind a login or cookie wall?`,
    };
  if (!article.published && !fields.published)
    return {
      action: 'refused',
      message: `${url}: the page gives no publication date; add it by hand (npm run ingest -- URL --published YYYY-MM-DD).`,
    };
  const merged: IngestFields = {
    title: article.title,
    // The outlet a reader would name when the page does not: its host.
    source: article.source ?? new URL(article.url).hostname.replace(/^www\./, ''),
    published: article.published,
    url: article.url,
    author: article.author,
    updated: article.updated,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')),
  };
  return deps.ingester.ingest({ origin: url, text: article.body, fields: merged });
}

/** One line for people about what adding an article did: what was added (title, outlet, date, sentences) or why not. */
export function describeLinkOutcome(outcome: LinkOutcome): string {
  switch (outcome.action) {
    case 'added':
    case 'updated': {
      const d = outcome.document;
      const sentences = splitSentences(d.body).length;
      const changes = outcome.action === 'updated' && outcome.correction;
      const what = changes
        ? ` (${changes.changes.length} sentence${changes.changes.length === 1 ? '' : 's'} changed or removed, ${changes.added.length} added; earlier version kept)`
        : '';
      return `${outcome.action === 'added' ? 'Added' : 'Updated'} ${d.id}: “${d.title}” — ${d.source}, ${d.published}, ${sentences} sentence${sentences === 1 ? '' : 's'}${what}.`;
    }
    case 'copy':
    case 'unchanged':
    case 'duplicate':
    case 'invalid':
    case 'refused':
      return outcome.message;
  }
}
