import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import { fixtureConfig, fixtureDeps, fixtureEngine, rawPublicKey, startDiscordService } from './fixtures.ts';

describe('Discord adapter, HTTP interactions endpoint', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  let privateKey: KeyObject;
  const deps = fixtureDeps();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    discord = await startDiscordService(fake, deps, {
      engine: fixtureEngine(),
      mode: 'http',
      publicKey: rawPublicKey(pair.publicKey),
      asksPerMinute: 5,
    });
  });

  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  async function post(body: string, headers: Record<string, string>) {
    const response = await fetch(discord.service.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  function signed(payload: unknown, timestamp = '1763715600') {
    const body = JSON.stringify(payload);
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    return post(body, { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp });
  }

  it('answers PING with PONG', async () => {
    expect(
      await signed({ type: 1, id: '1', application_id: fake.applicationId, token: 't', version: 1 }),
    ).toEqual({
      status: 200,
      body: { type: 1 },
    });
  });

  it('rejects a bad or missing signature with 401', async () => {
    const body = JSON.stringify({ type: 1 });
    const otherKey = generateKeyPairSync('ed25519').privateKey;
    const forged = sign(null, Buffer.from(`1763715600${body}`), otherKey).toString('hex');
    expect(
      (await post(body, { 'x-signature-ed25519': forged, 'x-signature-timestamp': '1763715600' })).status,
    ).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': '1' })).status).toBe(
      401,
    );
    // A valid signature over different bytes (tampered body) fails too.
    const good = sign(null, Buffer.from(`1763715600${body}`), privateKey).toString('hex');
    const tampered = JSON.stringify({ type: 2 });
    expect(
      (await post(tampered, { 'x-signature-ed25519': good, 'x-signature-timestamp': '1763715600' })).status,
    ).toBe(401);
  });

  it('listens on the configured address (127.0.0.1), not on every interface', () => {
    expect(new URL(discord.service.url!).hostname).toBe('127.0.0.1');
  });

  it('refuses a correctly signed PING dated more than five minutes from now, either way', async () => {
    const ping = { type: 1, id: '1', application_id: fake.applicationId, token: 't', version: 1 };
    const now = 1763715600; // the fixture clock
    for (const offset of [-24 * 3600, -6 * 60, 6 * 60, 30 * 60, 24 * 3600]) {
      const response = await signed(ping, String(now + offset));
      expect({ offset, status: response.status }).toEqual({ offset, status: 401 });
    }
    for (const offset of [-4 * 60, 4 * 60])
      expect((await signed(ping, String(now + offset))).status).toBe(200);
  });

  it('names DISCORD_HTTP_PORT when the port is in use', async () => {
    const taken = Number(new URL(discord.service.url!).port);
    const second = createDiscordService({
      config: { ...fixtureConfig(fake), mode: 'http', publicKey: '0'.repeat(64), httpPort: taken },
      engine: fixtureEngine(),
      feedback: deps.feedback,
      audit: deps.stores.audit,
      ledger: deps.stores.ledger,
      digest: undefined,
      logger: silentLogger,
      clock: deps.clock,
    });
    await expect(second.service.start()).rejects.toMatchObject({
      code: 'port_in_use',
      message: expect.stringMatching(
        new RegExp(`127\\.0\\.0\\.1:${taken}.*already in use.*DISCORD_HTTP_PORT`),
      ),
    });
  });

  it('answers a signed /ask: deferred in the response, then the embed edited in over REST', async () => {
    const payload = interactionPayload(fake, {
      type: 2,
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'Who gets the amnesty?' }],
    });
    const response = await signed(payload);
    expect(response).toEqual({ status: 200, body: { type: 5, data: { flags: 64 } } });
    const edit = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
    const body = edit.body as { embeds: Array<{ description: string }>; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]!.description).toContain('**amnesty** to @everyone');
    expect(edit.headers.authorization).toBeUndefined(); // interaction webhooks need no bot token
  });

  it('answers the message command privately with the passages per claim, and /ask in a DM privately', async () => {
    const targetId = '1500000000000000001';
    const payload = {
      ...interactionPayload(fake, { type: 2, name: 'Find sources for this' }),
      data: {
        id: '1400000000000000009',
        name: 'Find sources for this',
        type: 3,
        target_id: targetId,
        resolved: {
          messages: {
            [targetId]: {
              id: targetId,
              channel_id: '1200000000000000001',
              content: 'The draft caps the army at 800,000 troops.',
            },
          },
        },
      },
    };
    expect(await signed(payload)).toEqual({ status: 200, body: { type: 5, data: { flags: 64 } } });
    const edit = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
    const description = (edit.body as { embeds: Array<{ description: string }> }).embeds[0]!.description;
    expect(description).toContain('**1. Claim:** The draft caps the army at 800,000 troops.');
    expect(description).toContain('the article says 600,000, the message 800,000');

    // A DM through a user install: private even with public:true.
    const dm = {
      ...interactionPayload(fake, {
        type: 2,
        name: 'ask',
        options: [
          { name: 'question', type: 3, value: 'Who gets the amnesty?' },
          { name: 'public', type: 5, value: true },
        ],
      }),
      guild_id: undefined,
      member: undefined,
      user: { id: '1000000000000000777', username: 'r', discriminator: '0', avatar: null },
      authorizing_integration_owners: { '1': '1000000000000000777' },
      context: 1,
    };
    expect(await signed(dm)).toEqual({ status: 200, body: { type: 5, data: { flags: 64 } } });
  });

  it('answers autocomplete in the response (type 8, at most 25 choices)', async () => {
    const payload = interactionPayload(fake, {
      type: 4,
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'ceas', focused: true }],
    });
    const response = await signed(payload);
    expect(response.status).toBe(200);
    expect(response.body.type).toBe(8);
    expect(response.body.data.choices.length).toBeLessThanOrEqual(25);
    expect(response.body.data.choices).toContainEqual({ name: 'ceasefire', value: 'ceasefire' });
  });

  it('stores a vote from a button press and thanks the user privately', async () => {
    const payload = interactionPayload(
      fake,
      { type: 3, customId: 'vote:up:1300000000000000042' },
      { userId: '1000000000000000555' },
    );
    const response = await signed(payload);
    expect(response.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(deps.votes.at(-1)).toMatchObject({
      answerId: '1300000000000000042',
      value: 'up',
      userId: '1000000000000000555',
    });
  });

  it('answers a body that is not JSON (but signed) with 400, and a GET with 405', async () => {
    const body = '{nope';
    const signature = sign(null, Buffer.from(`1763715600${body}`), privateKey).toString('hex');
    expect(
      (await post(body, { 'x-signature-ed25519': signature, 'x-signature-timestamp': '1763715600' })).status,
    ).toBe(400);
    expect((await fetch(discord.service.url!)).status).toBe(405);
  });

  it('refuses to post digests without a bot token', async () => {
    await expect(
      discord.publisher.publish('1200000000000000888', {
        platform: 'discord',
        channelId: '1200000000000000888',
        since: null,
        until: '2025-11-21T09:00:00.000Z',
        entries: [],
        topQuestions: [],
        asOf: null,
      }),
    ).rejects.toThrow(/DISCORD_TOKEN/);
  });
});
