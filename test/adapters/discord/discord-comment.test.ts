import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import {
  type Body,
  fixtureDeps,
  fixtureEngine,
  interact,
  rawPublicKey,
  startDiscordService,
} from './fixtures.ts';

/** A modal submission (type 5) for the comment form, as Discord sends it. */
function modalSubmission(fake: FakeDiscord, customId: string, comment: string) {
  const payload = interactionPayload(fake, { type: 3, customId }, { userId: '1000000000000000301' });
  return {
    ...payload,
    type: 5,
    data: {
      custom_id: customId,
      components: [{ type: 1, components: [{ type: 4, custom_id: 'comment', value: comment }] }],
    },
  };
}

const COMMENT = 'The **figure** is out of date, @everyone <@123456789012345678>';

describe('Discord: a comment after 👎 (gateway)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();
  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = await startDiscordService(fake, deps, { engine: fixtureEngine() });
  });
  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  it('offers "Add a comment" after 👎, opens the modal, and keeps the comment with the vote', async () => {
    const asked = interactionPayload(
      fake,
      {
        type: 2,
        name: 'ask',
        options: [{ name: 'question', type: 3, value: 'Would the draft bar Ukraine from NATO?' }],
      },
      { userId: '1000000000000000301' },
    );
    await interact(fake, asked, true);
    const down = await interact(
      fake,
      interactionPayload(
        fake,
        { type: 3, customId: `vote:down:${asked.id}` },
        { userId: '1000000000000000301' },
      ),
    );
    expect(down.callback.type).toBe(4);
    expect(down.callback.data.flags).toBe(64);
    const button = down.callback.data.components[0].components[0] as Body;
    expect(button).toMatchObject({ custom_id: `comment:${asked.id}`, label: 'Add a comment' });

    const opened = await interact(
      fake,
      interactionPayload(fake, { type: 3, customId: button.custom_id }, { userId: '1000000000000000301' }),
    );
    expect(opened.callback).toMatchObject({
      type: 9,
      data: { custom_id: `comment:${asked.id}`, title: 'What was wrong?' },
    });

    const submitted = await interact(fake, modalSubmission(fake, `comment:${asked.id}`, `  ${COMMENT} `));
    expect(submitted.callback).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining('comment is recorded') },
    });
    const [vote] = await deps.stores.insights.votes(new Date(0));
    expect(vote).toMatchObject({
      platform: 'discord',
      answerId: asked.id,
      value: 'down',
      comment: COMMENT,
      question: 'Would the draft bar Ukraine from NATO?',
    });
  });
});

describe('Discord: a comment after 👎 (HTTP interactions)', () => {
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
    });
  });
  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });
  const signed = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const timestamp = '1763715600';
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    const response = await fetch(discord.service.url!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Body };
  };

  it('answers the comment button with the modal and records the submitted comment', async () => {
    const opened = await signed(
      interactionPayload(fake, { type: 3, customId: 'comment:1500000000000000001' }),
    );
    expect(opened).toMatchObject({
      status: 200,
      body: { type: 9, data: { custom_id: 'comment:1500000000000000001' } },
    });
    const done = await signed(modalSubmission(fake, 'comment:1500000000000000001', 'Wrong passage.'));
    expect(done).toMatchObject({ status: 200, body: { type: 4, data: { flags: 64 } } });
    expect((await deps.stores.insights.votes(new Date(0))).map((v) => v.comment)).toEqual(['Wrong passage.']);
  });
});
