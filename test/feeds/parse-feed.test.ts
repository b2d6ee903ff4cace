import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../src/feeds/parse-feed.ts';

describe('parseFeed', () => {
  it('reads RSS 1.0 (RDF) items: link, title, summary without markup, dc:date', () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>Wire RDF</title><link>https://news.example/</link></channel>
<item rdf:about="https://news.example/a"><title>Witkoff in Moscow</title><link>/a</link>
<description>&lt;p&gt;Envoy &amp;amp; aide&lt;/p&gt;</description><dc:date>2025-11-26T09:00:00Z</dc:date></item>
</rdf:RDF>`;
    expect(parseFeed(rdf, 'https://news.example/rdf')).toEqual({
      format: 'rdf',
      title: 'Wire RDF',
      items: [
        {
          key: 'https://news.example/a',
          link: 'https://news.example/a',
          title: 'Witkoff in Moscow',
          summary: 'Envoy & aide',
          published: '2025-11-26',
          stamp: '2025-11-26T09:00:00Z',
        },
      ],
    });
  });

  it('leaves out items with nothing to fetch and names what is not a feed', () => {
    const rss = '<rss><channel><item><title>x</title><link>javascript:alert(1)</link></item></channel></rss>';
    expect(parseFeed(rss, 'https://f.example/rss').items).toEqual([]);
    expect(() => parseFeed('', 'https://f.example/rss')).toThrow(FeedParseError);
    expect(() => parseFeed('<html><body>x</body></html>', 'https://f.example/rss')).toThrow(
      'is <html>, not an RSS or Atom feed',
    );
    expect(() => parseFeed('<rss>', 'https://f.example/rss')).toThrow('is RSS without a <channel>');
  });
});
