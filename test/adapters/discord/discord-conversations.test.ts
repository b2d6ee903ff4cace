import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIND_SOURCES_NAME } from '../../../adapters/discord/commands/find-sources.ts';
import { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { silentLogger } from '../../../src/logger.ts';
import { shippedCorpus } from '../../helpers.ts';
import {
  type FakeDiscord,
  interactionPayload,
  messagePayload,
  nextSnowflake,
  type RecordedRequest,
  startFakeDiscord,
} from './fake-discord.ts';
import { type Body, fixedDigestPreviewer, fixtureConfig, fixtureDeps, interact } from './fixtures.ts';

const CHANNEL = '1200000000000000001';
const GUILD = '1100000000000000001';
const USER = '1000000000000000201';

describe('Discord conversations (real discord.js Client, fake Discord)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = createDiscordService({
      config: fixtureConfig(fake),
      engine: createEngine(await shippedCorpus(), { clock: deps.clock }),
      feedback: deps.feedback,
      audit: deps.stores.audit,
      ledger: deps.stores.ledger,
      threads: deps.stores.threads,
      digest: fixedDigestPreviewer(),
      logger: silentLogger,
      clock: deps.clock,
      restOptions: { retries: 0 },
    });
    await discord.service.start();
  });
  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  const ask = (question: string, isPublic: boolean) =>
    interactionPayload(fake, {
      type: 2,
      name: 'ask',
      options: [
        { name: 'question', type: 3, value: question },
        { name: 'public', type: 5, value: isPublic },
      ],
    });
  /** A message posted in a channel, as the gateway's MESSAGE_CREATE carries it. */
  const said = (channelId: string, content: string, author: { id: string; bot?: boolean } = { id: USER }) =>
    messagePayload(channelId, content, { guildId: GUILD, author });
  const postsTo = (channelId: string) =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`);
  const waitForPosts = async (channelId: string, count: number): Promise<RecordedRequest[]> => {
    for (let i = 0; i < 500 && postsTo(channelId).length < count; i++)
      await new Promise((r) => setTimeout(r, 10));
    return postsTo(channelId);
  };

  const threadId = '1250000000000000001';

  it('asks for the GuildMessages intent but not the privileged Message Content one by default', () => {
    const intents = fake.identifies[0]!.intents!;
    expect(intents & GatewayIntentBits.Guilds).toBeTruthy();
    expect(intents & GatewayIntentBits.GuildMessages).toBeTruthy();
    expect(intents & GatewayIntentBits.MessageContent).toBe(0);
  });

  it('a public /ask opens a thread under the answer', async () => {
    fake.overrides.push({
      method: 'POST',
      path: /\/threads$/,
      status: 201,
      body: { id: threadId, type: 11, parent_id: CHANNEL, name: 'thread' },
    });
    await interact(fake, ask('What does the US draft say about territory?', true), true);
    const started = await fake.waitForRequest(
      (r) => r.method === 'POST' && /\/messages\/\d+\/threads$/.test(r.path),
    );
    expect(started.path).toMatch(new RegExp(`^/api/v10/channels/${CHANNEL}/messages/\\d+/threads$`));
    expect(started.body).toMatchObject({ name: 'What does the US draft say about territory?' });
    let kept = await deps.stores.threads.get('discord', threadId);
    for (let i = 0; i < 200 && !kept; i++) {
      await new Promise((r) => setTimeout(r, 10));
      kept = await deps.stores.threads.get('discord', threadId);
    }
    expect(kept).toBeDefined();
  });

  it('a reply in the thread is answered with the inherited context, once, pinging nobody', async () => {
    const message = said(threadId, 'what about NATO?');
    fake.dispatch('MESSAGE_CREATE', message);
    fake.dispatch('MESSAGE_CREATE', message); // delivered twice
    // Left alone: another bot, and a message whose text Discord withheld (no Message Content intent).
    fake.dispatch(
      'MESSAGE_CREATE',
      said(threadId, 'what about NATO?', { id: '1000000000000000999', bot: true }),
    );
    fake.dispatch('MESSAGE_CREATE', said(threadId, ''));
    // A message elsewhere is no follow-up.
    fake.dispatch('MESSAGE_CREATE', said('1200000000000000777', 'what about NATO?'));
    const [posted] = await waitForPosts(threadId, 1);
    const body = posted!.body as Body;
    expect(body.embeds[0].author.name).toBe(
      "Following on from: What does the US draft say about territory? (kept: the article US draft peace plan would hand Russia the Donbas and cap Ukraine's army)",
    );
    expect(JSON.stringify(body.embeds)).toContain('NATO');
    expect(JSON.stringify(body.embeds)).not.toContain('Reuters');
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.message_reference).toMatchObject({ message_id: message.id });
    // A new subject in the thread starts over.
    fake.dispatch(
      'MESSAGE_CREATE',
      said(threadId, `<@${fake.botUserId}> What did Putin demand at the Alaska summit?`),
    );
    const all = await waitForPosts(threadId, 2);
    expect((all[1]!.body as Body).embeds[0].author).toBeUndefined();
    expect(JSON.stringify((all[1]!.body as Body).embeds)).toContain('Reuters');
    expect(postsTo(threadId)).toHaveLength(2);
    expect(postsTo('1200000000000000777')).toHaveLength(0);
  });

  it('/ask inside the thread follows on from it too, and opens no second thread', async () => {
    const threadsBefore = fake.requests.filter((r) => r.path.endsWith('/threads')).length;
    const payload = interactionPayload(
      fake,
      { type: 2, name: 'ask', options: [{ name: 'question', type: 3, value: 'and since November?' }] },
      { channelId: threadId },
    );
    const { edit } = await interact(fake, payload, true);
    expect(edit!.embeds[0].author.name).toMatch(
      /^Following on from: What did Putin demand at the Alaska summit\?/,
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/threads')).length).toBe(threadsBefore);
  });

  it('the message command returns per-claim passages privately, and shares them once', async () => {
    const base = interactionPayload(fake, { type: 2, name: FIND_SOURCES_NAME });
    const targetId = nextSnowflake();
    const target = said(
      CHANNEL,
      "The US draft would cap Ukraine's army at 800,000 troops. Bananas are yellow.",
      {
        id: '1000000000000000301',
      },
    );
    const payload = {
      ...base,
      data: {
        id: '1400000000000000009',
        name: FIND_SOURCES_NAME,
        type: 3,
        target_id: targetId,
        resolved: { messages: { [targetId]: { ...target, id: targetId } } },
      },
    };
    const { callback, edit } = await interact(fake, payload, true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    const text = edit!.embeds[0].description as string;
    expect(text).toContain('**1. Claim:**');
    expect(text).toContain('the article says 880,000 and 600,000, the message 800,000');
    expect(text).toContain('Unattributed report, 2025-11-20');
    expect(text).toContain('**2. Claim:** Bananas are yellow.\nNo article bears on this.');
    const shareId = edit!.components[0].components[0].custom_id as string;
    expect(shareId).toBe(`sources-share:${payload.id}`);

    const press = () => interactionPayload(fake, { type: 3, customId: shareId });
    const first = await interact(fake, press());
    expect(first.callback.type).toBe(4);
    expect(first.callback.data.flags ?? 0).toBe(0);
    expect(first.callback.data.embeds[0].footer.text).toContain('Shared from a private lookup');
    expect(first.callback.data.allowed_mentions).toEqual({ parse: [] });
    const second = await interact(fake, press());
    expect(second.callback.data).toMatchObject({ content: 'Already shared.', flags: 64 });
  });

  it('in a DM (user install) /ask is private even when asked to be public, and opens no thread', async () => {
    const dm = {
      ...ask('What does the US draft say about NATO?', true),
      guild_id: undefined,
      member: undefined,
      user: { id: USER, username: 'reporter', discriminator: '0', global_name: 'R', avatar: null },
      channel_id: '1200000000000000555',
      channel: { id: '1200000000000000555', type: 1 },
      authorizing_integration_owners: { '1': USER },
      context: 1,
    };
    const threadsBefore = fake.requests.filter((r) => r.path.endsWith('/threads')).length;
    const { callback, edit } = await interact(fake, dm, true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    expect(edit!.embeds[0].title).toBe('What does the US draft say about NATO?');
    expect(fake.requests.filter((r) => r.path.endsWith('/threads')).length).toBe(threadsBefore);
  });
});
