import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** An article read from a web page: its text as Markdown paragraphs and what the page says about it. */
export interface ExtractedArticle {
  title: string | undefined;
  /** The outlet (JSON-LD publisher, og:site_name, application-name), if the page names one. */
  source: string | undefined;
  author: string | undefined;
  /** YYYY-MM-DD. */
  published: string | undefined;
  /** YYYY-MM-DD, only when later than `published`. */
  updated: string | undefined;
  /** The page's canonical URL (JSON-LD url, link rel=canonical, og:url), else the URL read. */
  url: string;
  /** The article text: paragraphs, "## " headings and "- " list items, separated by blank lines. */
  body: string;
}

// JSON-LD types that describe an article.
const ARTICLE_TYPES = new Set([
  'NewsArticle',
  'Article',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'BackgroundNewsArticle',
  'OpinionNewsArticle',
  'ReviewNewsArticle',
  'BlogPosting',
  'LiveBlogPosting',
  'Report',
]);

type Json = Record<string, unknown>;

/**
 * Read an article out of a page: the text through Mozilla Readability (which drops navigation,
 * ads, related links and cookie banners), the metadata from JSON-LD `NewsArticle` first, then
 * OpenGraph and `<meta>` tags. Nothing is guessed: a field the page does not give is undefined.
 */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle {
  const { document } = parseHTML(html);
  const meta = (...names: string[]): string | undefined => {
    for (const name of names) {
      const element =
        document.querySelector(`meta[property="${name}"]`) ?? document.querySelector(`meta[name="${name}"]`);
      const content = element?.getAttribute('content')?.trim();
      if (content) return content;
    }
    return undefined;
  };
  const ld = jsonLdArticle(document);
  const canonical = [
    text(ld?.url),
    document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim(),
    meta('og:url'),
  ]
    .map((candidate) => absoluteHttpUrl(candidate, pageUrl))
    .find(Boolean);
  const published = isoDay(
    text(ld?.datePublished) ??
      meta(
        'article:published_time',
        'og:article:published_time',
        'datePublished',
        'date',
        'dc.date',
        'DC.date.issued',
      ) ??
      document.querySelector('time[datetime]')?.getAttribute('datetime') ??
      undefined,
  );
  const modified = isoDay(
    text(ld?.dateModified) ?? meta('article:modified_time', 'og:updated_time', 'dateModified') ?? undefined,
  );
  const metaTitle = text(ld?.headline) ?? meta('og:title', 'twitter:title');

  // Readability changes the document it reads; metadata was taken above.
  const parsed = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: 200,
  }).parse();
  const body = parsed?.content ? htmlToParagraphs(parsed.content) : '';
  return {
    title: clean(metaTitle ?? parsed?.title ?? undefined),
    source: clean(
      publisherName(ld) ?? meta('og:site_name', 'application-name') ?? parsed?.siteName ?? undefined,
    ),
    author: clean(
      authorName(ld) ?? meta('author', 'article:author', 'byl') ?? parsed?.byline ?? undefined,
    )?.replace(/^by\s+/i, ''),
    published,
    updated: modified && published && modified > published ? modified : undefined,
    url: canonical ?? pageUrl,
    body,
  };
}

function jsonLdArticle(document: {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}): Json | undefined {
  const scripts = Array.from(document.querySelectorAll('script[type="application/ld+json"]'));
  for (const script of scripts) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // A broken JSON-LD block is common; the other sources still count.
    }
    const found = findArticle(data, 0);
    if (found) return found;
  }
  return undefined;
}

function findArticle(data: unknown, depth: number): Json | undefined {
  if (depth > 4 || data === null || typeof data !== 'object') return undefined;
  if (Array.isArray(data)) {
    for (const item of data) {
      const found = findArticle(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const node = data as Json;
  const types = ([] as unknown[]).concat(node['@type'] ?? []).map(String);
  if (types.some((type) => ARTICLE_TYPES.has(type))) return node;
  return findArticle(node['@graph'], depth + 1) ?? findArticle(node.mainEntity, depth + 1);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object' && '@id' in value) return text((value as Json)['@id']);
  return undefined;
}

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const names = value.map(nameOf).filter((n): n is string => Boolean(n));
    return names.length ? names.join(', ') : undefined;
  }
  if (value && typeof value === 'object') return text((value as Json).name);
  return undefined;
}

function publisherName(ld: Json | undefined): string | undefined {
  return ld ? (nameOf(ld.publisher) ?? nameOf(ld.sourceOrganization)) : undefined;
}

function authorName(ld: Json | undefined): string | undefined {
  return ld ? nameOf(ld.author) : undefined;
}

function clean(value: string | undefined): string | undefined {
  const squashed = value?.replace(/\s+/g, ' ').trim();
  return squashed ? squashed : undefined;
}

function absoluteHttpUrl(candidate: string | undefined, base: string): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** The date part of an ISO-like date or date-time ("2025-11-20T09:30:00+02:00" -> "2025-11-20", in UTC when a time is given). */
export function isoDay(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
  const time = Date.parse(trimmed);
  if (Number.isNaN(time)) return undefined;
  // A page's local date is what its readers saw printed; keep it when the string starts with one.
  const local = /^(\d{4}-\d{2}-\d{2})T/.exec(trimmed);
  return local ? local[1] : new Date(time).toISOString().slice(0, 10);
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre';

/** Readability's article HTML as Markdown-like paragraphs: what the sentence splitter and citations need. */
export function htmlToParagraphs(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const out: string[] = [];
  type Block = { querySelector(s: string): unknown; textContent: string | null; tagName: string };
  for (const element of Array.from(document.querySelectorAll(BLOCKS)) as unknown as Block[]) {
    // Only the innermost blocks: a <li> holding a <p> is read once, as the <p>.
    if (element.querySelector(BLOCKS)) continue;
    const words = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (!words) continue;
    const tag = element.tagName.toLowerCase();
    if (/^h[1-6]$/.test(tag)) out.push(`## ${words}`);
    else if (tag === 'li') out.push(`- ${words}`);
    else out.push(words);
  }
  return out.join('\n\n');
}
