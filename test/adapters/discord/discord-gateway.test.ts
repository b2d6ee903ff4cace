import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { silentLogger } from '../../../src/logger.ts';
import { APOLOGY_MESSAGE, DECLINE_MESSAGE, SHARE_FORGOTTEN_MESSAGE } from '../../../src/messages/strings.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import {
  type Body,
  fixedDigestPreviewer,
  fixtureDeps,
  fixtureDigest,
  fixtureEngine,
  interact as interactWith,
  startDiscordService,
} from './fixtures.ts';

describe('Discord adapter, gateway mode (real discord.js Client, fake Discord)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();
  const previewer = fixedDigestPreviewer();
  const errors: unknown[] = [];
  const real = fixtureEngine();
  let failAnswers = false;
  // How many questions the engine answered (a shared answer must not add one).
  let answered = 0;
  // Test double: the real engine, except that answering can be made to throw.
  const engine = {
    ...real,
    answer: (question: string) => {
      if (failAnswers) throw new Error('index exploded');
      answered++;
      return real.answer(question);
    },
    answerAsync: async (question: string) => {
      if (failAnswers) throw new Error('index exploded');
      answered++;
      return real.answerAsync(question);
    },
  };

  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = await startDiscordService(fake, deps, {
      engine,
      digest: previewer,
      logger: { ...silentLogger, error: (message, fields) => errors.push({ message, ...fields }) },
    });
  });

  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  const interact = (payload: ReturnType<typeof interactionPayload>, edited = false) =>
    interactWith(fake, payload, edited);

  const ask = (question: string, extra: { public?: boolean; userId?: string } = {}) =>
    interactionPayload(
      fake,
      {
        type: 2,
        name: 'ask',
        options: [
          { name: 'question', type: 3, value: question },
          ...(extra.public !== undefined ? [{ name: 'public', type: 5, value: extra.public }] : []),
        ],
      },
      extra.userId ? { userId: extra.userId } : {},
    );

  it('connects with the bot token and never registers commands at start-up', () => {
    expect(fake.requests.some((r) => r.path === '/api/v10/gateway/bot')).toBe(true);
    expect(fake.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('/ask defers privately, then edits in the cited answer embed with vote buttons', async () => {
    const payload = ask('Would the draft bar Ukraine from NATO?', { userId: '1000000000000000101' });
    const { callback, edit } = await interact(payload, true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    const embed = edit!.embeds[0];
    expect(embed.title).toBe('Would the draft bar Ukraine from NATO?');
    expect(embed.description).toContain(
      '> The US **draft** peace plan would **bar Ukraine** from joining **NATO**. [1]',
    );
    expect(embed.fields[0]).toEqual({
      name: '[1]',
      value: '[US draft peace plan — Test Wire, 2025-11-20](https://example.org/draft)',
    });
    expect(embed.footer.text).toBe('As of 2025-11-20 (newest source cited).');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
    const buttons = edit!.components[0].components.map((b: Body) => b.custom_id);
    expect(buttons).toEqual([
      `vote:up:${payload.id}`,
      `vote:down:${payload.id}`,
      `answer-share:${payload.id}`,
    ]);
    const record = deps.stores.audit.records.at(-1)!;
    expect(record).toMatchObject({
      platform: 'discord',
      question: 'Would the draft bar Ukraine from NATO?',
      answered: true,
      citedDocIds: ['draft-plan'],
    });
    expect(record.userId).not.toBe('1000000000000000101'); // stored hashed
  });

  it('/ask public:true defers visibly', async () => {
    const { callback } = await interact(
      ask('Would the draft cap the army?', { public: true, userId: '1000000000000000102' }),
      true,
    );
    expect(callback.type).toBe(5);
    expect(callback.data?.flags ?? 0).toBe(0);
  });

  it('an article containing @everyone and a user mention never pings', async () => {
    const { edit } = await interact(ask('Who gets the amnesty?', { userId: '1000000000000000103' }), true);
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
    const description: string = edit!.embeds[0].description;
    expect(description).toContain('@everyone');
    expect(description).toContain('\\<@123456789012345678>'); // shown literally, not as a mention
    expect(description).toContain('\\*unprecedented\\*'); // article markdown escaped
  });

  it('a question the sources do not answer is declined plainly', async () => {
    const { edit } = await interact(
      ask('What is the weather on Mars tomorrow?', { userId: '1000000000000000104' }),
      true,
    );
    expect(edit!.embeds[0].description).toBe(DECLINE_MESSAGE);
  });

  it('an empty question gets the engine’s advice, privately', async () => {
    const { edit } = await interact(ask('   ', { userId: '1000000000000000105' }), true);
    expect(edit!.content).toMatch(/^Ask a question/);
    expect(edit!.embeds).toBeUndefined();
  });

  it('/sources lists the corpus (title — outlet, date), newest first', async () => {
    const { callback, edit } = await interact(interactionPayload(fake, { type: 2, name: 'sources' }), true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    const lines = String(edit!.embeds[0].description).split('\n');
    expect(edit!.embeds[0].title).toBe('Sources (3 articles)');
    expect(lines[0]).toBe('• Amnesty clause — Other Wire, 2025-11-21');
    expect(lines[1]).toBe('• [US draft peace plan — Test Wire, 2025-11-20](https://example.org/draft)');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
  });

  it('/digest previews the channel’s next digest through the DigestPreviewer', async () => {
    const payload = interactionPayload(
      fake,
      { type: 2, name: 'digest' },
      { channelId: '1200000000000000777' },
    );
    const { callback, edit } = await interact(payload, true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    expect(previewer.calls.at(-1)).toEqual(['discord', '1200000000000000777']);
    expect(edit!.embeds[0]).toMatchObject({ title: 'US draft peace plan', url: 'https://example.org/draft' });
    expect(edit!.embeds[1].title).toBe('Most asked');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
  });

  it('autocomplete answers with at most 25 choices completing the typed word', async () => {
    const payload = interactionPayload(fake, {
      type: 4,
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'what about am', focused: true }],
    });
    const { callback } = await interact(payload);
    expect(callback.type).toBe(8);
    const choices = callback.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]).toEqual({ name: 'what about am', value: 'what about am' });
    expect(choices.map((c) => c.value)).toContain('what about amnesty');
  });

  it('a 👍 then a 👎 by the same user is one vote, changed', async () => {
    const asked = ask('Would the draft bar Ukraine from NATO?', { userId: '1000000000000000106' });
    await interact(asked, true);
    const voter = { userId: '1000000000000000200' };
    const up = await interact(interactionPayload(fake, { type: 3, customId: `vote:up:${asked.id}` }, voter));
    expect(up.callback).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    await interact(interactionPayload(fake, { type: 3, customId: `vote:down:${asked.id}` }, voter));
    expect(deps.votes.slice(-2)).toMatchObject([
      {
        answerId: asked.id,
        value: 'up',
        userId: voter.userId,
        question: 'Would the draft bar Ukraine from NATO?',
        tally: { up: 1, down: 0 },
      },
      { answerId: asked.id, value: 'down', tally: { up: 0, down: 1 } },
    ]);
  });

  it('Share re-posts the private answer publicly from memory, once, without asking again', async () => {
    const asked = ask('Would the draft bar Ukraine from NATO?', { userId: '1000000000000000110' });
    const start = answered;
    const { edit } = await interact(asked, true);
    const before = answered;
    expect(before).toBe(start + 1); // the counter sees the engine being asked
    const sharer = { userId: '1000000000000000110' };
    const shared = await interact(
      interactionPayload(fake, { type: 3, customId: `answer-share:${asked.id}` }, sharer),
    );
    expect(answered).toBe(before);
    expect(shared.callback.type).toBe(4);
    expect(shared.callback.data.flags ?? 0).toBe(0);
    expect(shared.callback.data.content).toBe('Asked by <@1000000000000000110>');
    expect(shared.callback.data.allowed_mentions).toEqual({ parse: [] });
    expect(shared.callback.data.embeds[0].description).toBe(edit!.embeds[0].description);
    // The public copy offers votes, not another share.
    const buttons = shared.callback.data.components[0].components.map((b: Body) => b.custom_id);
    expect(buttons).toEqual([`vote:up:${asked.id}`, `vote:down:${asked.id}`]);
    const again = await interact(
      interactionPayload(fake, { type: 3, customId: `answer-share:${asked.id}` }, sharer),
    );
    expect(again.callback).toMatchObject({ type: 4, data: { content: 'Already shared.', flags: 64 } });
  });

  it('Share of an answer no longer kept says so privately and does not ask again', async () => {
    const before = answered;
    const { callback } = await interact(
      interactionPayload(fake, { type: 3, customId: 'answer-share:1300000000000099999' }),
    );
    expect(callback).toMatchObject({ type: 4, data: { content: SHARE_FORGOTTEN_MESSAGE, flags: 64 } });
    expect(answered).toBe(before);
  });

  it('a public answer offers no Share', async () => {
    const { edit } = await interact(
      ask('Would the draft bar Ukraine from NATO?', { public: true, userId: '1000000000000000111' }),
      true,
    );
    const buttons = edit!.components[0].components.map((b: Body) => b.custom_id as string);
    expect(buttons.some((id: string) => id.startsWith('answer-share:'))).toBe(false);
  });

  it('a failing handler answers with a private apology, logs, and the client keeps serving', async () => {
    failAnswers = true;
    try {
      const { callback, edit } = await interact(
        ask('Would the draft bar Ukraine from NATO?', { userId: '1000000000000000107' }),
        true,
      );
      expect(callback.type).toBe(5);
      expect(edit!.content).toBe(APOLOGY_MESSAGE);
      expect(edit!.allowed_mentions).toEqual({ parse: [] });
      expect(errors).toContainEqual(
        expect.objectContaining({ message: 'discord handler failed', command: 'ask' }),
      );
    } finally {
      failAnswers = false;
    }
    const { edit } = await interact(interactionPayload(fake, { type: 2, name: 'sources' }), true);
    expect(edit!.embeds[0].title).toBe('Sources (3 articles)');
  });

  it('an unknown button gets an apology instead of a crash', async () => {
    const { callback } = await interact(interactionPayload(fake, { type: 3, customId: 'something-else' }));
    expect(callback).toMatchObject({ type: 4, data: { content: APOLOGY_MESSAGE, flags: 64 } });
  });

  it('rate-limits each user with a friendly private message, and lets them ask again later', async () => {
    const userId = '1000000000000000300';
    for (let i = 0; i < 3; i++) await interact(ask('Would the draft cap the army?', { userId }), true);
    const limited = await interact(ask('Would the draft cap the army?', { userId }));
    expect(limited.callback).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(limited.callback.data.content).toBe(
      'You are asking quickly; please wait 60 seconds and try again.',
    );
    const other = await interact(ask('Would the draft cap the army?', { userId: '1000000000000000301' }));
    expect(other.callback.type).toBe(5);
    deps.clock.advance(60_000);
    const later = await interact(ask('Would the draft cap the army?', { userId }), true);
    expect(later.callback.type).toBe(5);
  });

  it('answers a redelivered interaction (same id) once', async () => {
    const payload = interactionPayload(fake, { type: 2, name: 'sources' });
    await interact(payload, true);
    fake.dispatch('INTERACTION_CREATE', payload);
    // A later interaction's callback proves the duplicate was processed (and ignored) before it.
    await interact(interactionPayload(fake, { type: 2, name: 'sources' }), true);
    const callbacks = fake.requests.filter((r) => r.path.startsWith(`/api/v10/interactions/${payload.id}/`));
    expect(callbacks).toHaveLength(1);
  });

  it('publishes a digest to a channel over REST, with mentions disabled', async () => {
    const result = await discord.publisher.publish(
      '1200000000000000888',
      fixtureDigest('1200000000000000888'),
    );
    const post = await fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === '/api/v10/channels/1200000000000000888/messages',
    );
    expect(post.headers.authorization).toBe('Bot bot-token');
    const body = post.body as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBe('peacedesk digest: 1 new article since 19 Nov 2025, 09:00 UTC');
    expect(body.embeds[0].description).toBe(
      '> The US draft peace plan would bar Ukraine from joining NATO, @here.',
    );
    expect(result.messageId).toMatch(/^\d+$/);
    expect(discord.publisher.platform).toBe('discord');
  });

  it('rejects a digest for a channel id that is not a snowflake', async () => {
    await expect(discord.publisher.publish('general', fixtureDigest('general'))).rejects.toThrow(/snowflake/);
  });
});
