import { DOMParser } from 'linkedom';

/** One item of a feed: what is needed to fetch it and to judge whether it is on the subject. */
export interface FeedItem {
  /** guid (RSS) or id (Atom); the link when the feed gives neither. */
  key: string;
  /** The article's address. */
  link: string;
  title: string;
  /** The description or summary, markup removed ("" when none). */
  summary: string;
  /** YYYY-MM-DD, when the feed dates the item. */
  published: string | undefined;
  /** The item's last-changed time as the feed writes it (Atom updated, RSS pubDate): a new one means republished. */
  stamp: string | null;
}

/** A parsed feed: its title and items, in the feed's order. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf';
  title: string;
  items: FeedItem[];
}

interface XmlElement {
  tagName: string;
  localName?: string;
  textContent: string | null;
  children: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

/** Why a feed could not be read (not XML, or not RSS/Atom). */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}

const nameOf = (el: XmlElement) => (el.localName ?? el.tagName).toLowerCase().replace(/^.*:/, '');
const childrenOf = (el: XmlElement) => Array.from(el.children);
const child = (el: XmlElement, name: string) => childrenOf(el).find((c) => nameOf(c) === name);
const textOf = (el: XmlElement | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * Parse an RSS 2.0, RSS 1.0 (RDF) or Atom document with linkedom's XML parser (already used for
 * pages). Items without a usable http(s) link are left out: there is nothing to fetch.
 */
export function parseFeed(xml: string, feedUrl: string): ParsedFeed {
  if (!/^\s*(?:\uFEFF)?\s*</.test(xml)) throw new FeedParseError('is not XML');
  let root: XmlElement | null;
  try {
    const document = new DOMParser().parseFromString(xml, 'text/xml') as unknown as {
      documentElement: XmlElement | null;
    };
    root = document.documentElement;
  } catch (error) {
    throw new FeedParseError(`is not well-formed XML (${(error as Error).message})`);
  }
  if (!root) throw new FeedParseError('is empty');
  const kind = nameOf(root);
  if (kind === 'rss' || kind === 'rdf') {
    const channel = child(root, 'channel');
    const itemParent = kind === 'rss' ? channel : root;
    if (!itemParent) throw new FeedParseError('is RSS without a <channel>');
    const items = childrenOf(itemParent)
      .filter((el) => nameOf(el) === 'item')
      .flatMap((el): FeedItem[] => {
        const link = absolute(textOf(child(el, 'link')) || guidLink(el), feedUrl);
        if (!link) return [];
        const description = child(el, 'description') ?? child(el, 'encoded');
        return [
          {
            key: textOf(child(el, 'guid')) || el.getAttribute('rdf:about') || link,
            link,
            title: textOf(child(el, 'title')),
            summary: stripTags(textOf(description)),
            published: day(textOf(child(el, 'pubdate')) || textOf(child(el, 'date'))),
            stamp: textOf(child(el, 'pubdate')) || textOf(child(el, 'date')) || null,
          },
        ];
      });
    return { format: kind, title: textOf(channel && child(channel, 'title')), items };
  }
  if (kind === 'feed') {
    const items = childrenOf(root)
      .filter((el) => nameOf(el) === 'entry')
      .flatMap((el): FeedItem[] => {
        const links = childrenOf(el).filter((c) => nameOf(c) === 'link');
        const alternate =
          links.find((l) => (l.getAttribute('rel') ?? 'alternate') === 'alternate') ?? links[0];
        const link = absolute(alternate?.getAttribute('href') ?? '', feedUrl);
        if (!link) return [];
        return [
          {
            key: textOf(child(el, 'id')) || link,
            link,
            title: stripTags(textOf(child(el, 'title'))),
            summary: stripTags(textOf(child(el, 'summary') ?? child(el, 'content'))),
            published: day(textOf(child(el, 'published')) || textOf(child(el, 'updated'))),
            stamp: textOf(child(el, 'updated')) || textOf(child(el, 'published')) || null,
          },
        ];
      });
    return { format: 'atom', title: textOf(child(root, 'title')), items };
  }
  throw new FeedParseError(`is <${kind}>, not an RSS or Atom feed`);
}

// An RSS guid that is a permalink is the item's address.
function guidLink(item: XmlElement): string {
  const guid = child(item, 'guid');
  return guid && guid.getAttribute('isPermaLink') !== 'false' ? textOf(guid) : '';
}

function absolute(link: string, base: string): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function stripTags(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function day(value: string): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}
