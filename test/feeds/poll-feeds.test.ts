import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { main } from '../../src/cli/feeds.ts';
import { createManualClock } from '../../src/clock.ts';
import { createIngester } from '../../src/corpus/ingest.ts';
import { parseFeedsConfig } from '../../src/feeds/feed-config.ts';
import { createFeedPoller, createFeedService } from '../../src/feeds/poll-feeds.ts';
import { createSafeFetcher, type Fetcher } from '../../src/fetch/safe-fetch.ts';
import { createLogger } from '../../src/logger.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { tempFolder } from '../helpers.ts';
import { articlePage, atomFeed, rssFeed, startSite } from '../live-corpus/site.ts';
import { COPIES, GENEVA_STORY, OTHER_STORIES } from '../live-corpus/stories.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const page = (headline: string, outlet: string, text: string, published = '2025-11-23T18:00:00Z') =>
  articlePage({ headline, outlet, published, paragraphs: text.split('\n\n') });

async function setup() {
  const corpus = await tempFolder({});
  const data = await tempFolder({});
  let rssItems = [
    {
      title: 'Geneva talks produce a shorter US peace framework',
      link: '/world/geneva',
      guid: 'tw-1',
      pubDate: 'Sun, 23 Nov 2025 18:00:00 GMT',
      description: 'Negotiators from Ukraine and the United States trimmed the peace plan.',
    },
    {
      title: 'Champions League: late winner settles the final',
      link: '/sport/final',
      guid: 'tw-2',
      pubDate: 'Sun, 23 Nov 2025 21:00:00 GMT',
      description: 'A stoppage-time header decided the match.',
    },
  ];
  let etag = '"rss-1"';
  const site = await startSite({
    '/rss': (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag })
        .end(rssFeed(rssItems));
    },
    '/atom': {
      headers: { 'content-type': 'application/atom+xml' },
      body: atomFeed([
        {
          title: 'Shorter peace framework emerges from Geneva',
          link: '/kyiv/geneva-copy',
          id: 'urn:kd:1',
          updated: '2025-11-24T07:00:00Z',
        },
        {
          title: 'Geneva talks yield pared-down plan as Kremlin waits',
          link: '/post/rival',
          id: 'urn:kd:2',
          updated: '2025-11-24T08:00:00Z',
        },
      ]),
    },
    '/broken': { status: 503, body: 'maintenance' },
    '/world/geneva': {
      body: page('Geneva talks produce a shorter US peace framework', 'Test Wire', GENEVA_STORY.join('\n\n')),
    },
    '/kyiv/geneva-copy': {
      body: page(
        'Shorter peace framework emerges from Geneva',
        'Kyiv Desk',
        COPIES['paragraph added']!,
        '2025-11-24T07:00:00Z',
      ),
    },
    '/post/rival': {
      body: page('Geneva talks yield pared-down plan', 'Other Post', OTHER_STORIES['rival report']!),
    },
    '/sport/final': { body: page('Late winner settles the final', 'Test Wire', GENEVA_STORY.join('\n\n')) },
    '/world/witkoff': {
      body: page(
        'Witkoff and Dmitriev meet again',
        'Test Wire',
        OTHER_STORIES.analysis!,
        '2025-11-26T09:00:00Z',
      ),
    },
  });
  const config = join(data.dir, 'feeds.config.json');
  await writeFile(
    config,
    JSON.stringify({
      feeds: [
        { url: `${site.origin}/rss`, name: 'Test Wire' },
        { url: `${site.origin}/atom`, name: 'Kyiv Desk' },
        { url: `${site.origin}/broken`, name: 'Broken' },
      ],
    }),
  );
  cleanups.push(corpus.cleanup, data.cleanup, () => site.close());
  const clock = createManualClock('2025-11-25T09:00:00Z');
  const env = {
    CORPUS_DIR: corpus.dir,
    DATA_DIR: data.dir,
    DATABASE_PATH: join(data.dir, 'peacedesk.db'),
    FEEDS_CONFIG: config,
    FETCH_ALLOW_HOSTS: '127.0.0.1',
  };
  // Each run is a fresh process's worth of state: the corpus and database read again from disk.
  const poll = async (tty = false, fetcher?: Fetcher) => {
    const out: string[] = [];
    const err: string[] = [];
    let now = 0;
    const code = await main(['--once'], env, {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY: tty },
      now: () => (now += 1000),
      clock,
      ...(fetcher && { fetcher }),
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  const setRss = (items: typeof rssItems, tag: string) => {
    rssItems = items;
    etag = tag;
  };
  return { corpus: corpus.dir, site, poll, clock, env, setRss, rssItems: () => rssItems };
}

describe('feeds', () => {
  it('ingests new on-subject items once across restarts, skips off-subject ones with the reason, records copies, backs off a failing feed', async () => {
    const { corpus, site, poll, clock, env, setRss, rssItems } = await setup();
    const first = await poll(true);
    expect(first.code).toBe(1); // the broken feed
    // A first poll of several feeds shows its progress on a terminal, as ingest does.
    expect(first.stderr).toMatch(/\[1\/3\] 1\.0 feeds\/s, 2 s left/);
    expect(first.stderr).toMatch(/\[3\/3\]/);
    expect(first.stdout).toContain('Test Wire <');
    expect(first.stdout).toMatch(
      /added: Geneva talks produce a shorter US peace framework <.*\/world\/geneva>: Added 2025-11-23-geneva-talks/,
    );
    expect(first.stdout).toMatch(
      /skipped: Champions League: late winner settles the final <.*\/sport\/final>: off the subject: matches no topic and names nothing the corpus is about/,
    );
    expect(first.stdout).toMatch(
      /copy: Shorter peace framework emerges from Geneva <.*>: .*a copy of 2025-11-23-geneva-talks.*recorded as also published by Kyiv Desk/,
    );
    expect(first.stdout).toMatch(/added: Geneva talks yield pared-down plan as Kremlin waits/);
    expect(first.stdout).toMatch(
      /Broken <.*>: failed: .*answered HTTP 503\. \(failure 1; next try after 2025-11-25T09:05:00\.000Z\)/,
    );
    expect(site.requests.map((r) => r.path)).not.toContain('/sport/final');
    expect((await readdir(corpus)).sort()).toEqual([
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
      '2025-11-23-geneva-talks-yield-pared-down-plan.md',
    ]);

    // A restart: nothing repeated; the RSS feed answers 304; the broken feed waits out its backoff.
    site.requests.length = 0;
    const second = await poll();
    expect(second.stdout).toMatch(/Test Wire <.*>: not-modified: not modified since the last poll \(304\)/);
    expect(second.stdout).toMatch(/Kyiv Desk <.*>: 2 items in the feed, 0 new, 2 seen before/);
    expect(second.stdout).toMatch(
      /Broken <.*>: waiting: backing off after 1 failed poll until 2025-11-25T09:05:00\.000Z/,
    );
    expect(site.requests.find((r) => r.path === '/rss')?.headers['if-none-match']).toBe('"rss-1"');
    expect(site.requests.map((r) => r.path)).not.toContain('/broken');
    expect(site.requests.filter((r) => !['/rss', '/atom'].includes(r.path))).toEqual([]);

    // A new item: only it is fetched. The broken feed is tried again after its backoff, then waits longer.
    setRss(
      [
        {
          title: 'Witkoff and Dmitriev meet again',
          link: '/world/witkoff',
          guid: 'tw-3',
          pubDate: 'Wed, 26 Nov 2025 09:00:00 GMT',
          description: 'The envoys met in Miami.',
        },
        ...rssItems(),
      ],
      '"rss-2"',
    );
    clock.advance(10 * 60_000);
    site.requests.length = 0;
    const third = await poll();
    expect(third.stdout).toMatch(/Test Wire <.*>: 3 items in the feed, 1 new, 2 seen before/);
    expect(third.stdout).toMatch(/added: Witkoff and Dmitriev meet again/);
    expect(third.stdout).toMatch(
      /Broken <.*>: failed: .*\(failure 2; next try after 2025-11-25T09:20:00\.000Z\)/,
    );
    expect(site.requests.map((r) => r.path).filter((p) => p.startsWith('/world'))).toEqual([
      '/world/witkoff',
    ]);

    const stores = openSqliteStores(env.DATABASE_PATH);
    expect(await stores.live.feedItem(`${site.origin}/rss`, 'tw-2')).toMatchObject({
      outcome: 'skipped',
      detail: expect.stringContaining('off the subject'),
    });
    expect(await stores.live.feedState(`${site.origin}/broken`)).toMatchObject({ failures: 2 });
    stores.close();
  });

  it('reads a republished item again: a changed text becomes a correction', async () => {
    const { site, poll, setRss, rssItems, env } = await setup();
    await poll();
    const edited = GENEVA_STORY.join('\n\n').replace(
      'the most productive day of the process so far',
      'a useful day',
    );
    site.routes['/world/geneva'] = {
      body: page('Geneva talks produce a shorter US peace framework', 'Test Wire', edited),
    };
    setRss(
      rssItems().map((item) =>
        item.guid === 'tw-1' ? { ...item, pubDate: 'Mon, 24 Nov 2025 10:00:00 GMT' } : item,
      ),
      '"rss-3"',
    );
    const again = await poll();
    expect(again.stdout).toMatch(
      /updated: Geneva talks produce .*\(1 sentence changed or removed, 0 added; earlier version kept\)/,
    );
    const stores = openSqliteStores(env.DATABASE_PATH);
    const [correction] = await stores.live.corrections(
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework',
    );
    expect(correction?.changes).toEqual([
      {
        before:
          'Secretary of State Marco Rubio called the meeting the most productive day of the process so far.',
        after: 'Secretary of State Marco Rubio called the meeting a useful day.',
      },
    ]);
    stores.close();
  });
});

describe('feeds in the running bot', () => {
  it('judges an item against the articles its poll has just written, before the index has them', async () => {
    const { corpus, site, env, clock } = await setup();
    const stores = openSqliteStores(env.DATABASE_PATH);
    cleanups.push(async () => stores.close());
    // The bot's index: its corpus watcher indexes what a poll writes only after the poll.
    const engine = createEngine([]);
    const ingester = createIngester(corpus, [], { live: stores.live, clock });
    const reports = await createFeedPoller({
      feeds: [
        { url: `${site.origin}/rss`, name: 'Test Wire' },
        { url: `${site.origin}/atom`, name: 'Kyiv Desk' },
      ],
      fetcher: createSafeFetcher({ allowHosts: ['127.0.0.1'], timeoutMs: 5000, maxBytes: 5_000_000 }),
      live: stores.live,
      ingester: () => ingester,
      stats: () => engine,
      clock,
    }).pollAll();
    // "Shorter peace framework emerges from Geneva" names no topic: it is on the subject through
    // the Geneva article the RSS feed's item just added, and so recorded as its copy.
    expect(reports[1]!.items).toContainEqual(
      expect.objectContaining({ title: 'Shorter peace framework emerges from Geneva', outcome: 'copy' }),
    );
    expect(await stores.live.copyAt(`${site.origin}/kyiv/geneva-copy`)).toMatchObject({
      docId: '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework',
    });
  });
});

describe('feeds: a poll cut short', () => {
  it('is read again in full at the next poll, its handled items skipped', async () => {
    const { corpus, site, poll } = await setup();
    const safe = createSafeFetcher({ allowHosts: ['127.0.0.1'], timeoutMs: 5000, maxBytes: 5_000_000 });
    // The process dies while reading the RSS feed's second item (after its first was recorded).
    const dying: Fetcher = async (request) => {
      if (request.url.endsWith('/world/geneva')) throw new Error('killed');
      return safe(request);
    };
    await expect(poll(false, dying)).rejects.toThrow('killed');
    expect(await readdir(corpus)).toEqual([]);

    site.requests.length = 0;
    const next = await poll();
    // No 304: the validators of the poll cut short were never saved.
    expect(site.requests.find((r) => r.path === '/rss')?.headers['if-none-match']).toBeUndefined();
    expect(next.stdout).toMatch(/Test Wire <.*>: 2 items in the feed, 1 new, 1 seen before/);
    expect(next.stdout).toMatch(/added: Geneva talks produce a shorter US peace framework/);
    expect(site.requests.map((r) => r.path)).not.toContain('/sport/final');
  });
});

describe('feeds: an item whose page failed', () => {
  it('is tried again on the next polls even when the feed answers 304, then given up', async () => {
    const { corpus, site, poll } = await setup();
    site.routes['/world/geneva'] = { status: 503, body: 'busy' };
    const first = await poll();
    expect(first.stdout).toMatch(/failed: Geneva talks produce .*answered HTTP 503\. \(will try again\)/);
    expect(await readdir(corpus)).not.toContain(
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
    );

    // The feed itself has not changed, but its failed item must not wait for it to change.
    const second = await poll();
    expect(second.stdout).toMatch(/failed: Geneva talks produce .*\(will try again\)/);
    site.requests.length = 0;
    const third = await poll();
    expect(third.stdout).toMatch(/failed: Geneva talks produce .*\(given up after 3 tries\)/);
    expect(site.requests.filter((r) => r.path === '/world/geneva')).toHaveLength(1);

    // Given up: the page is not asked for again, and the feed's 304 is honoured once more.
    site.routes['/world/geneva'] = {
      body: page('Geneva talks produce a shorter US peace framework', 'Test Wire', GENEVA_STORY.join('\n\n')),
    };
    site.requests.length = 0;
    const fourth = await poll();
    expect(fourth.stdout).toMatch(/Test Wire <.*>: not-modified: not modified since the last poll \(304\)/);
    expect(site.requests.map((r) => r.path)).not.toContain('/world/geneva');
  });

  it('is added when it reads on a later poll, although the feed answers 304', async () => {
    const { corpus, site, poll } = await setup();
    const good = site.routes['/world/geneva']!;
    site.routes['/world/geneva'] = { status: 503, body: 'busy' };
    await poll();
    site.routes['/world/geneva'] = good;
    const second = await poll();
    expect(second.stdout).toMatch(/added: Geneva talks produce a shorter US peace framework/);
    expect(await readdir(corpus)).toContain(
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
    );
  });
});

describe('feeds config', () => {
  it('names each problem', () => {
    expect(() => parseFeedsConfig('f.json', '{"feeds":[{"url":"ftp://x"}],"schedule":"every day"}')).toThrow(
      /schedule: must be a cron expression.*\n {2}feeds\.0\.url: must be an http:\/\/ or https:\/\/ feed address/,
    );
    expect(() =>
      parseFeedsConfig('f.json', '{"feeds":[{"url":"https://a.example/r"},{"url":"https://a.example/r"}]}'),
    ).toThrow(/is listed twice/);
    expect(() => parseFeedsConfig('f.json', '{')).toThrow(/not valid JSON/);
    expect(parseFeedsConfig('f.json', '{"feeds":[]}').schedule).toBe('*/30 * * * *');
  });
});

describe('feed service', () => {
  it('polls once at start, never two polls at once, and stop waits for a running poll', async () => {
    let release: () => void = () => {};
    let polls = 0;
    const poller = {
      pollAll: () =>
        new Promise<never[]>((resolve) => {
          polls++;
          release = () => resolve([]);
        }),
    };
    const reports: unknown[] = [];
    const service = createFeedService({
      poller,
      schedule: '0 0 1 1 *',
      logger: createLogger('error'),
      onPoll: (r) => reports.push(r),
    });
    await service.start();
    expect(polls).toBe(1);
    const again = service.pollNow();
    expect(polls).toBe(1);
    let stopped = false;
    const stopping = service.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await again).toEqual([]);
    expect(reports).toEqual([[]]);
  });
});
