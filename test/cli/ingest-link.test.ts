import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ingest.ts';
import { createManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { createCore } from '../../src/runtime.ts';
import { tempFolder } from '../helpers.ts';
import { articlePage, startSite } from '../live-corpus/site.ts';
import { COPIES, GENEVA_STORY, OTHER_STORIES } from '../live-corpus/stories.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const page = (
  headline: string,
  outlet: string,
  paragraphs: readonly string[],
  published = '2025-11-23T18:00:00Z',
) => articlePage({ headline, outlet, author: 'Jane Doe', published, paragraphs });

async function setup() {
  const corpus = await tempFolder({});
  const data = await tempFolder({});
  const site = await startSite({
    '/world/geneva': {
      body: page('Geneva talks produce a shorter US peace framework', 'Test Wire', GENEVA_STORY),
    },
    '/kyiv/geneva-copy': {
      body: page(
        'Shorter peace framework emerges from Geneva',
        'Kyiv Desk',
        COPIES['wire copy, light edits']!.split('\n\n'),
        '2025-11-24T07:00:00Z',
      ),
    },
    '/post/rival': {
      body: page(
        'Geneva talks yield pared-down plan',
        'Other Post',
        OTHER_STORIES['rival report']!.split('\n\n'),
      ),
    },
    '/cookie-wall': {
      body: '<html><body><div class="cookie">Please accept cookies to continue.</div></body></html>',
    },
    '/no-date': { body: articlePage({ headline: 'Undated', outlet: 'Test Wire', paragraphs: GENEVA_STORY }) },
    '/report.pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' },
    '/huge': { body: `<p>${'word '.repeat(300_000)}</p>` },
    '/hang': 'hang',
    '/to-private': { status: 302, headers: { location: 'http://10.0.0.1/admin' } },
  });
  cleanups.push(corpus.cleanup, data.cleanup, () => site.close());
  const clock = createManualClock('2025-11-25T09:00:00Z');
  const env = {
    CORPUS_DIR: corpus.dir,
    DATABASE_PATH: join(data.dir, 'peacedesk.db'),
    DATA_DIR: data.dir,
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    FETCH_TIMEOUT_SECONDS: '1',
  };
  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      args,
      { ...env, ...extraEnv },
      {
        stdin: Readable.from(['']),
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => err.push(text), isTTY: false },
        now: () => 0,
        clock,
      },
    );
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  const ask = async (question: string) => {
    const core = await createCore(loadConfig(env), createLogger('error'));
    return core.engine.answer(question);
  };
  return { corpus: corpus.dir, site, run, ask, clock };
}

describe('npm run ingest -- URL', () => {
  it('adds a page, answers from it at once, and records an edited copy from another outlet as a copy', async () => {
    const { corpus, site, run, ask } = await setup();
    const added = await run([`${site.origin}/world/geneva`]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(
      /^Added 2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework: “Geneva talks produce a shorter US peace framework” — Test Wire, 2025-11-23, 1\d sentences\. \(/,
    );
    const answer = await ask('What did Rustem Umerov say about the talks?');
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]).toMatchObject({ source: 'Test Wire', url: `${site.origin}/world/geneva` });

    const copy = await run([`${site.origin}/kyiv/geneva-copy`]);
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(
      /copy: .*kyiv\/geneva-copy: a copy of 2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework \(Test Wire, 2025-11-23; \d+% alike\); recorded as also published by Kyiv Desk, no new article/,
    );
    expect(await readdir(corpus)).toEqual([
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
    ]);
    const again = await run([`${site.origin}/kyiv/geneva-copy`]);
    expect(again.stdout).toMatch(/already recorded as a copy/);

    // The story is cited once, with its other outlet.
    const cited = await ask('What did Rustem Umerov say about the talks?');
    expect(new Set(cited.citations.map((c) => c.docId))).toEqual(
      new Set(['2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework']),
    );
    expect(cited.citations.map((c) => c.source)).not.toContain('Kyiv Desk');
    expect(cited.citations[0]!.alsoPublishedBy).toEqual([
      { source: 'Kyiv Desk', url: `${site.origin}/kyiv/geneva-copy`, published: '2025-11-24' },
    ]);
    expect(renderText(cited)).toContain('(also published by Kyiv Desk, 2025-11-24)');

    // A different story on the same event is an article of its own.
    const rival = await run([`${site.origin}/post/rival`]);
    expect(rival.stdout).toMatch(/^Added 2025-11-23-geneva-talks-yield-pared-down-plan/);
  });

  it('keeps the earlier version of a changed article and notes the change in answers and its history', async () => {
    const { site, run, ask, clock } = await setup();
    await run([`${site.origin}/world/geneva`]);
    const edited = [...GENEVA_STORY];
    edited[2] =
      'Rustem Umerov, the secretary of Ukraine’s security council, told reporters the talks had been difficult and that several of Kyiv’s concerns were still open. He did not say which points had been dropped.';
    site.routes['/world/geneva'] = {
      body: page('Geneva talks produce a shorter US peace framework', 'Test Wire', edited),
    };
    clock.set('2026-12-03T10:00:00Z');
    const update = await run([`${site.origin}/world/geneva`]);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(
      /^Updated 2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework: .*\(1 sentence changed or removed, 0 added; earlier version kept\)/,
    );

    const answer = await ask('Did Rustem Umerov call the talks difficult?');
    const cited = answer.citations.find((c) => c.snippet.includes('had been difficult'));
    expect(cited?.notes?.[0]?.text).toBe(
      'Corrected 3 Dec 2026: this sentence earlier read “Rustem Umerov, the secretary of Ukraine’s security council, told reporters the talks had been constructive and that Kyiv’s main concerns had been heard.”',
    );
    expect(renderText(answer)).toContain('  Corrected 3 Dec 2026: this sentence earlier read');

    const history = await run(['--history', '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework']);
    expect(history.stdout).toContain('Version 1 replaced 3 Dec 2026');
    expect(history.stdout).toContain(
      'was:     “Rustem Umerov, the secretary of Ukraine’s security council, told reporters the talks had been constructive',
    );
    expect(history.stdout).toContain(
      'now:     “Rustem Umerov, the secretary of Ukraine’s security council, told reporters the talks had been difficult',
    );

    const unchanged = await run([`${site.origin}/world/geneva`]);
    expect(unchanged.stdout).toMatch(/^unchanged: .* is already in the corpus as it is; nothing written/);
  });

  it('refuses what it should not read, each with its reason, exit 2 and nothing written', async () => {
    const { corpus, site, run } = await setup();
    const cases: Array<[string, RegExp, Record<string, string>?]> = [
      [
        `${site.origin}/world/geneva`,
        /127\.0\.0\.1 is a loopback address; peacedesk fetches only public addresses unless FETCH_ALLOW_HOSTS/,
        { FETCH_ALLOW_HOSTS: '' },
      ],
      [`${site.origin}/to-private`, /10\.0\.0\.1 is a private address/],
      [`${site.origin}/report.pdf`, /is "application\/pdf", not a web page/],
      [`${site.origin}/huge`, /larger than 0\.05 MB \(FETCH_MAX_BYTES\)/, { FETCH_MAX_BYTES: '50000' }],
      [`${site.origin}/hang`, /no complete answer within 1 s/],
      [`${site.origin}/cookie-wall`, /no article text found on the page/],
      [`${site.origin}/no-date`, /the page gives no publication date; add it by hand/],
      ['ftp://files.example/story', /only http:\/\/ and https:\/\/ links are fetched/],
    ];
    for (const [url, message, env] of cases) {
      const result = await run([url], env);
      expect(result.code, url).toBe(2);
      expect(result.stderr, url).toMatch(message);
    }
    expect(await readdir(corpus)).toEqual([]);
  });
});
