import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main as feeds } from '../../src/cli/feeds.ts';
import { main as ingest } from '../../src/cli/ingest.ts';
import { createManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { createCore } from '../../src/runtime.ts';
import { openStores } from '../../src/store/open-stores.ts';
import { tempFolder } from '../helpers.ts';
import { articlePage, rssFeed, startSite } from '../live-corpus/site.ts';
import { COPIES, GENEVA_STORY } from '../live-corpus/stories.ts';
import { testDatabaseUrl } from '../store/backends.ts';

const url = testDatabaseUrl();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  // A headline of its own per run: the tables are the shared public schema a deployment uses.
  const tag = randomBytes(4).toString('hex');
  const headline = `Geneva talks produce a shorter US peace framework ${tag}`;
  const corpus = await tempFolder({});
  const data = await tempFolder({});
  const site = await startSite({
    '/world/geneva': {
      body: articlePage({
        headline,
        outlet: 'Test Wire',
        published: '2025-11-23T18:00:00Z',
        paragraphs: GENEVA_STORY,
      }),
    },
    '/kyiv/geneva-copy': {
      body: articlePage({
        headline: 'Shorter peace framework emerges from Geneva',
        outlet: 'Kyiv Desk',
        published: '2025-11-24T07:00:00Z',
        paragraphs: COPIES['wire copy, light edits']!.split('\n\n'),
      }),
    },
    '/rss': {
      headers: { 'content-type': 'application/rss+xml' },
      body: rssFeed([
        {
          title: headline,
          link: '/world/geneva',
          guid: `tw-${tag}`,
          pubDate: 'Sun, 23 Nov 2025 18:00:00 GMT',
          description: 'Negotiators from Ukraine and the United States trimmed the peace plan.',
        },
      ]),
    },
  });
  const config = join(data.dir, 'feeds.config.json');
  await writeFile(config, JSON.stringify({ feeds: [{ url: `${site.origin}/rss`, name: 'Test Wire' }] }));
  cleanups.push(corpus.cleanup, data.cleanup, () => site.close());
  const env = {
    CORPUS_DIR: corpus.dir,
    DATA_DIR: data.dir,
    DATABASE_PATH: join(data.dir, 'never-created.db'),
    DATABASE_URL: url,
    FEEDS_CONFIG: config,
    FETCH_ALLOW_HOSTS: '127.0.0.1',
  };
  const clock = createManualClock('2025-11-25T09:00:00Z');
  const io = () => {
    const out: string[] = [];
    return {
      out,
      io: {
        stdin: Readable.from(['']),
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => out.push(text), isTTY: false },
        now: () => 0,
        clock,
      },
    };
  };
  const run = async (args: string[]) => {
    const { out, io: streams } = io();
    const code = await ingest(args, env, streams);
    return { code, output: out.join('') };
  };
  const poll = async () => {
    const { out, io: streams } = io();
    const code = await feeds(['--once'], env, streams);
    return { code, output: out.join('') };
  };
  const id = `2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework-${tag}`;
  return { site, env, run, poll, id, corpus: corpus.dir };
}

// With DATABASE_URL, the command-line tools record copies, corrections and feed state where the
// bot (and every replica) reads them: PostgreSQL, not the SQLite file.
describe.runIf(url)('npm run ingest and npm run feeds with DATABASE_URL', () => {
  it('record copies, corrections and seen feed items in PostgreSQL', async () => {
    const { site, env, run, poll, id } = await setup();
    const first = await poll();
    expect(first.output).toMatch(/added: Geneva talks produce/);
    expect(first.code).toBe(0);

    const copy = await run([`${site.origin}/kyiv/geneva-copy`]);
    expect(copy.output).toMatch(/recorded as also published by Kyiv Desk, no new article/);
    const { engine } = await createCore(loadConfig(env), createLogger('silent'));
    expect(renderText(engine.answer('What did Rustem Umerov say about the talks?'))).toContain(
      'also published by Kyiv Desk, 2025-11-24',
    );

    site.routes['/world/geneva'] = {
      body: articlePage({
        headline: `Geneva talks produce a shorter US peace framework ${id.slice(-8)}`,
        outlet: 'Test Wire',
        published: '2025-11-23T18:00:00Z',
        paragraphs: GENEVA_STORY.map((p) =>
          p.replace('the most productive day of the process so far', 'a useful day'),
        ),
      }),
    };
    const updated = await run([`${site.origin}/world/geneva`]);
    expect(updated.output).toMatch(/1 sentence changed or removed/);
    const history = await run(['--history', id]);
    expect(history.output).toContain(
      'now:     “Secretary of State Marco Rubio called the meeting a useful day.”',
    );

    const stores = await openStores(loadConfig(env));
    try {
      expect(await stores.live.copyAt(`${site.origin}/kyiv/geneva-copy`)).toMatchObject({ docId: id });
      expect(await stores.live.corrections(id)).toHaveLength(1);
      expect(await stores.live.feedItem(`${site.origin}/rss`, `tw-${id.slice(-8)}`)).toMatchObject({
        outcome: 'added',
      });
      expect(await stores.live.feedState(`${site.origin}/rss`)).toMatchObject({ failures: 0 });
    } finally {
      await stores.close();
    }
    // A restart of the poll repeats nothing.
    expect((await poll()).output).toMatch(/1 item in the feed, 0 new, 1 seen before/);
  });
});
