import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createLinkAdder, NOT_AN_EDITOR_MESSAGE } from '../../../src/corpus/link-adder.ts';
import { createSafeFetcher } from '../../../src/fetch/safe-fetch.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createMemoryLiveCorpusStore } from '../../../src/store/live-corpus-store.ts';
import { tempFolder } from '../../helpers.ts';
import { articlePage, startSite } from '../../live-corpus/site.ts';
import { GENEVA_STORY } from '../../live-corpus/stories.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import { fixtureDeps, interact, startDiscordService } from './fixtures.ts';

const EDITOR_ROLE = '1300000000000000042';

describe('Discord /add (editors add articles from links)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  let site: Awaited<ReturnType<typeof startSite>>;
  let corpus: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    corpus = await tempFolder({});
    site = await startSite({
      '/world/geneva': {
        body: articlePage({
          headline: 'Geneva talks produce a shorter US peace framework',
          outlet: 'Test Wire',
          published: '2025-11-23T18:00:00Z',
          paragraphs: GENEVA_STORY,
        }),
      },
    });
    fake = await startFakeDiscord();
    const engine = createEngine([]);
    discord = await startDiscordService(fake, fixtureDeps(), {
      engine,
      links: createLinkAdder({
        corpusDir: corpus.dir,
        engine,
        live: createMemoryLiveCorpusStore(),
        fetcher: createSafeFetcher({ allowHosts: ['127.0.0.1'], timeoutMs: 2000, maxBytes: 1_000_000 }),
        logger: silentLogger,
      }),
      editorRoleIds: [EDITOR_ROLE],
    });
  });

  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
    await site?.close();
    await corpus?.cleanup();
  });

  const add = (url: string, roles: string[]) => {
    const payload = interactionPayload(fake, {
      type: 2,
      name: 'add',
      options: [{ name: 'url', type: 3, value: url }],
    });
    (payload.member as { roles: string[] }).roles = roles;
    return payload;
  };

  it('adds the page for a member with an editor role and replies privately with what was added', async () => {
    const { callback, edit } = await interact(fake, add(`${site.origin}/world/geneva`, [EDITOR_ROLE]), true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    expect(edit!.content).toContain(
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework: “Geneva talks produce a shorter US peace framework” — Test Wire, 2025-11-23, 10 sentences.',
    );
    expect(await readdir(corpus.dir)).toEqual([
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
    ]);
  });

  it('says a polite private no to anyone else, fetching nothing', async () => {
    const before = site.requests.length;
    const { callback } = await interact(fake, add(`${site.origin}/world/geneva`, ['1300000000000000099']));
    expect(callback).toMatchObject({
      type: 4,
      data: { content: NOT_AN_EDITOR_MESSAGE, flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(site.requests.length).toBe(before);
  });

  it('tells an editor why a link was refused', async () => {
    const { edit } = await interact(
      fake,
      add('http://169.254.169.254/latest/meta-data/', [EDITOR_ROLE]),
      true,
    );
    expect(edit!.content).toContain('169.254.169.254 is a link-local address');
  });
});
