import { describe, expect, it } from 'vitest';
import { extractArticle, isoDay } from '../../src/corpus/extract-article.ts';
import { articlePage } from '../live-corpus/site.ts';
import { GENEVA_STORY } from '../live-corpus/stories.ts';

describe('extractArticle', () => {
  it('reads the article text and metadata, leaving navigation, ads, banners and related links out', () => {
    const html = articlePage({
      headline: 'Geneva talks produce a shorter US peace framework',
      outlet: 'Test Wire',
      author: 'Jane Doe',
      published: '2025-11-23T18:05:00+01:00',
      modified: '2025-11-24T08:00:00+01:00',
      canonical: 'https://news.example/world/geneva-framework',
      paragraphs: GENEVA_STORY,
    });
    const article = extractArticle(html, 'http://127.0.0.1:1/world/geneva-framework?utm_source=x');
    expect(article).toMatchObject({
      title: 'Geneva talks produce a shorter US peace framework',
      source: 'Test Wire',
      author: 'Jane Doe',
      published: '2025-11-23',
      updated: '2025-11-24',
      url: 'https://news.example/world/geneva-framework',
    });
    expect(article.body.split('\n\n')).toEqual(GENEVA_STORY);
    for (const noise of ['cookies', 'Advertisement', 'Related stories', 'Subscribe', 'mattress', 'Share on'])
      expect(article.body).not.toContain(noise);
  });

  it('falls back to OpenGraph and meta tags without JSON-LD', () => {
    const html = articlePage({
      headline: 'Envoys leave Geneva',
      outlet: 'Kyiv Desk',
      author: 'Ola Nordmann',
      published: '2025-11-24',
      paragraphs: GENEVA_STORY,
      noJsonLd: true,
    });
    expect(extractArticle(html, 'http://127.0.0.1:1/x')).toMatchObject({
      title: 'Envoys leave Geneva',
      source: 'Kyiv Desk',
      author: 'Ola Nordmann',
      published: '2025-11-24',
      updated: undefined,
      url: 'http://127.0.0.1:1/x',
    });
  });

  it('gives nothing it cannot read from a page that is not an article', () => {
    const article = extractArticle('<html><body><p>Hello</p></body></html>', 'http://127.0.0.1:1/');
    expect(article.body.length).toBeLessThan(20);
    expect(article.published).toBeUndefined();
  });

  it('takes the printed day of a date-time', () => {
    expect(isoDay('2025-11-23T23:30:00-05:00')).toBe('2025-11-23');
    expect(isoDay('Sun, 23 Nov 2025 18:00:00 GMT')).toBe('2025-11-23');
    expect(isoDay('not a date')).toBeUndefined();
  });
});
