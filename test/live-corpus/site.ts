import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A route of the fake news site: what to answer, or `hang` to never answer. */
export type Route =
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
  | ((req: IncomingMessage, res: ServerResponse) => void)
  | 'hang';

/** A news site on 127.0.0.1 (port 0) serving `routes`; `requests` lists each path asked for, with its headers. */
export async function startSite(routes: Record<string, Route>) {
  const requests: Array<{ path: string; headers: IncomingMessage['headers'] }> = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    if (route === 'hang') {
      hanging.push(res);
      return;
    }
    if (typeof route === 'function') {
      route(req, res);
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...route.headers });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    routes,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fields of a fake article page. */
export interface PageOptions {
  headline: string;
  outlet: string;
  author?: string;
  published?: string;
  modified?: string;
  canonical?: string;
  paragraphs: readonly string[];
  /** Put the metadata in OpenGraph/meta tags only, no JSON-LD. */
  noJsonLd?: boolean;
}

/**
 * An article page as news sites serve them: navigation, a cookie banner, ads, a share bar,
 * related links and a footer around the article, with JSON-LD NewsArticle and OpenGraph tags.
 */
export function articlePage(page: PageOptions): string {
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', name: page.outlet, url: 'https://news.example/' },
      {
        '@type': 'NewsArticle',
        headline: page.headline,
        datePublished: page.published,
        ...(page.modified && { dateModified: page.modified }),
        ...(page.author && { author: [{ '@type': 'Person', name: page.author }] }),
        publisher: { '@type': 'Organization', name: page.outlet },
        ...(page.canonical && { url: page.canonical }),
      },
    ],
  };
  const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>${html(page.headline)} | ${html(page.outlet)}</title>
<meta property="og:title" content="${html(page.headline)}">
<meta property="og:site_name" content="${html(page.outlet)}">
${page.published ? `<meta property="article:published_time" content="${page.published}">` : ''}
${page.author ? `<meta name="author" content="${html(page.author)}">` : ''}
${page.canonical ? `<link rel="canonical" href="${page.canonical}">` : ''}
${page.noJsonLd ? '' : `<script type="application/ld+json">${JSON.stringify(ld)}</script>`}
<script type="application/ld+json">{ broken json, as some sites ship</script>
<script>window.dataLayer = [{ page: "article" }];</script>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience and show you personalised advertising. By clicking accept you agree to our use of cookies.</p><button>Accept all</button><button>Manage preferences</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/europe">Europe</a></li><li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<div class="ad ad-leaderboard">Advertisement <a href="https://ads.example/click">Buy now: the best mattress of 2025</a></div>
<main>
<article>
<h1>${html(page.headline)}</h1>
<p class="byline">By ${html(page.author ?? 'Staff')} · <time datetime="${page.published ?? ''}">${page.published ?? ''}</time></p>
<div class="share-bar"><a href="#">Share on X</a> <a href="#">Share on Facebook</a> <a href="#">Email</a></div>
<div class="article-body">
${page.paragraphs.map((p, i) => `<p>${html(p)}</p>${i === 1 ? '<aside class="ad ad-inline">Advertisement · Story continues below</aside>' : ''}`).join('\n')}
</div>
</article>
<section class="related"><h2>Related stories</h2><ul><li><a href="/a">Markets slip as oil prices climb</a></li><li><a href="/b">Five things to watch this week</a></li><li><a href="/c">Opinion: what comes after the talks</a></li></ul></section>
</main>
<footer><p>© 2025 ${html(page.outlet)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>`;
}

/** An RSS 2.0 feed of `items`. */
export function rssFeed(
  items: Array<{ title: string; link: string; guid?: string; pubDate?: string; description?: string }>,
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Test Wire — World</title>
<link>https://news.example/world</link>
<description>World news</description>
${items
  .map(
    (item) => `<item>
  <title><![CDATA[${item.title}]]></title>
  <link>${item.link}</link>
  ${item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : ''}
  ${item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : ''}
  ${item.description ? `<description><![CDATA[${item.description}]]></description>` : ''}
</item>`,
  )
  .join('\n')}
</channel>
</rss>`;
}

/** An Atom feed of `entries`. */
export function atomFeed(
  entries: Array<{ title: string; link: string; id: string; updated: string; summary?: string }>,
): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Kyiv Desk</title>
<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
<updated>2025-11-24T10:00:00Z</updated>
${entries
  .map(
    (e) => `<entry>
  <title type="html">${e.title.replaceAll('&', '&amp;')}</title>
  <link rel="alternate" type="text/html" href="${e.link}"/>
  <id>${e.id}</id>
  <updated>${e.updated}</updated>
  ${e.summary ? `<summary>${e.summary}</summary>` : ''}
</entry>`,
  )
  .join('\n')}
</feed>`;
}
