import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { registerCommands } from '../../../adapters/discord/register-commands.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import type { Clock } from '../../../src/clock.ts';
import { makeDocument } from '../../helpers.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import {
  type Body,
  COMMAND_NAMES,
  fixtureDeps,
  interact as interactWith,
  rawPublicKey,
  startDiscordService,
} from './fixtures.ts';

/** Two proposals on territory (Russia's first) and one article silent on it. */
function proposalsEngine(clock: Clock) {
  return createEngine(
    [
      makeDocument(
        'us-draft',
        'The US draft would recognise Crimea and Luhansk as de facto Russian territory. It bars Ukraine from joining NATO.',
        {
          title: 'US 28-point plan',
          source: 'Test Wire',
          published: '2025-11-20',
          url: 'https://example.org/us-draft',
          proposedBy: 'United States',
          proposal: 'US 28-point draft',
        },
      ),
      makeDocument(
        'alaska',
        'Russia demands that Ukraine withdraw from the Donetsk region and freeze the front line elsewhere.',
        {
          title: 'Putin after Alaska',
          source: 'Other Wire',
          published: '2025-08-21',
          proposedBy: 'Russia (Vladimir Putin)',
          proposal: "Putin's terms after the Alaska summit",
        },
      ),
      makeDocument(
        'eu-sanctions',
        'The European Union extended its sanctions on Russian banks for six months.',
        {
          title: 'EU extends sanctions',
          source: 'Third Wire',
          published: '2025-10-01',
        },
      ),
    ],
    { clock },
  );
}

function commandPayload(
  fake: FakeDiscord,
  name: string,
  options: Record<string, string | boolean>,
  userId?: string,
) {
  return interactionPayload(
    fake,
    {
      type: 2,
      name,
      options: Object.entries(options).map(([key, value]) => ({
        name: key,
        type: typeof value === 'boolean' ? 5 : 3,
        value,
      })),
    },
    userId ? { userId } : {},
  );
}

describe('Discord /compare and /timeline, gateway mode (real discord.js Client, fake Discord)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();
  let user = 2000000000000000000n;
  const nextUser = () => String(++user);

  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = await startDiscordService(fake, deps, { engine: proposalsEngine(deps.clock) });
  });

  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  const interact = (payload: ReturnType<typeof interactionPayload>, edited = false) =>
    interactWith(fake, payload, edited);

  it('/compare topic:territory defers privately, then one entry per document oldest first and the silent ones', async () => {
    const payload = commandPayload(fake, 'compare', { topic: 'territory' }, nextUser());
    const { callback, edit } = await interact(payload, true);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    const embed = edit!.embeds[0];
    expect(embed.title).toBe('How the proposals compare on territory and front lines (oldest first)');
    const entries = String(embed.description).split('\n\n');
    expect(entries).toHaveLength(2);
    expect(entries[0]!.split('\n')[0]).toBe(
      "**Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit**",
    );
    expect(entries[0]!.split('\n')[1]).toBe(
      '> Russia demands that Ukraine **withdraw** from the **Donetsk region** and freeze the **front line** elsewhere. [1]',
    );
    expect(entries[0]!.split('\n')[2]).toBe('Putin after Alaska — Other Wire, 2025-08-21');
    expect(entries[1]!.split('\n')[0]).toBe('**United States, 2025-11-20: US 28-point draft**');
    expect(entries[1]!.split('\n')[2]).toBe(
      '[US 28-point plan — Test Wire, 2025-11-20](https://example.org/us-draft)',
    );
    expect(embed.fields).toEqual([
      { name: 'Silent on this', value: 'EU extends sanctions — Third Wire, 2025-10-01.' },
    ]);
    expect(embed.footer.text).toBe('As of 2025-11-20 (newest source cited).');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
    expect(deps.stores.audit.records.at(-1)).toMatchObject({
      platform: 'discord',
      answered: true,
      citedDocIds: ['alaska', 'us-draft'],
    });
  });

  it('/compare public:true defers visibly', async () => {
    const { callback } = await interact(
      commandPayload(fake, 'compare', { topic: 'nato', public: true }, nextUser()),
      true,
    );
    expect(callback.type).toBe(5);
    expect(callback.data?.flags ?? 0).toBe(0);
  });

  it('an unknown topic gets the engine’s message privately, even with public:true', async () => {
    const { callback } = await interact(
      commandPayload(fake, 'compare', { topic: 'weather', public: true }, nextUser()),
    );
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.content).toContain(
      'No topic matches "weather". Topics: territory (Territory and front lines)',
    );
  });

  it('autocomplete on /compare offers the topics matching the typed text (id and label)', async () => {
    const all = await interact(
      interactionPayload(fake, {
        type: 4,
        name: 'compare',
        options: [{ name: 'topic', type: 3, value: '', focused: true }],
      }),
    );
    expect(all.callback.type).toBe(8);
    const choices = all.callback.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(5);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices).toContainEqual({ name: 'Territory and front lines (territory)', value: 'territory' });
    const typed = await interact(
      interactionPayload(fake, {
        type: 4,
        name: 'compare',
        options: [{ name: 'topic', type: 3, value: 'Neutral', focused: true }],
      }),
    );
    expect(typed.callback.data.choices).toEqual([{ name: 'NATO and neutrality (nato)', value: 'nato' }]);
  });

  it('/timeline lists every document oldest first', async () => {
    const { edit } = await interact(commandPayload(fake, 'timeline', {}, nextUser()), true);
    const embed = edit!.embeds[0];
    expect(embed.title).toBe('Timeline: 3 documents, oldest first');
    const labels = String(embed.description)
      .split('\n\n')
      .map((entry) => entry.split('\n')[0]);
    expect(labels).toEqual([
      "**Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit**",
      '**Third Wire, 2025-10-01: EU extends sanctions**',
      '**United States, 2025-11-20: US 28-point draft**',
    ]);
    expect(embed.fields).toBeUndefined();
  });

  it('/timeline topic since:"October 2025" keeps the later documents on the topic', async () => {
    const { edit } = await interact(
      commandPayload(fake, 'timeline', { topic: 'territory', since: 'October 2025' }, nextUser()),
      true,
    );
    const embed = edit!.embeds[0];
    expect(embed.title).toBe(
      'Timeline on territory and front lines since 2025-10-01: 1 document, oldest first',
    );
    expect(embed.description).toMatch(
      /^\*\*United States, 2025-11-20: US 28-point draft\*\*\n> .*\*\*Crimea\*\*/,
    );
    expect(embed.fields).toEqual([
      { name: 'Silent on this', value: 'EU extends sanctions — Third Wire, 2025-10-01.' },
    ]);
  });

  it('/timeline since a month without a year reads it against the injected clock', async () => {
    const { edit } = await interact(
      commandPayload(fake, 'timeline', { since: 'December' }, nextUser()),
      true,
    );
    // The clock says 2025-11-21, so "December" is December 2024: all three documents.
    expect(edit!.embeds[0].title).toBe('Timeline since 2024-12-01: 3 documents, oldest first');
  });

  it('/timeline with a since that is no date answers privately and briefly', async () => {
    const { callback } = await interact(commandPayload(fake, 'timeline', { since: 'whenever' }, nextUser()));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.content).toBe(
      'I could not read "whenever" as a date; try 2025-08-01, "August 2025" or "last month".',
    );
    const invalid = await interact(commandPayload(fake, 'timeline', { since: '2025-02-30' }, nextUser()));
    expect(invalid.callback.data.content).toContain('is not a real date');
  });

  it('/ask routed to a comparison by the engine renders as one', async () => {
    const { edit } = await interact(
      commandPayload(fake, 'ask', { question: 'Compare the proposals on territory' }, nextUser()),
      true,
    );
    const embed = edit!.embeds[0];
    expect(embed.title).toBe('How the proposals compare on territory and front lines (oldest first)');
    expect(String(embed.description)).toContain(
      "**Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit**",
    );
    expect(embed.fields[0].name).toBe('Silent on this');
  });

  it('/ask routed to a timeline by the engine renders as one, reading "since" from the question', async () => {
    const { edit } = await interact(
      commandPayload(fake, 'ask', { question: 'What has changed since October?' }, nextUser()),
      true,
    );
    const embed = edit!.embeds[0];
    expect(embed.title).toMatch(/^Timeline since 2025-10-01: 2 documents, oldest first/);
    expect(String(embed.description).split('\n\n')).toHaveLength(2);
  });

  it('rate-limits /compare and /timeline with /ask', async () => {
    const who = nextUser();
    for (let i = 0; i < 3; i++) await interact(commandPayload(fake, 'timeline', {}, who), true);
    const { callback } = await interact(commandPayload(fake, 'compare', { topic: 'nato' }, who));
    expect(callback.type).toBe(4);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.content).toMatch(/again/i);
  });
});

describe('Discord /compare, HTTP interactions mode', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();
  const pair = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = await startDiscordService(fake, deps, {
      engine: proposalsEngine(deps.clock),
      mode: 'http',
      publicKey: rawPublicKey(pair.publicKey),
      asksPerMinute: 5,
    });
  });

  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  it('answers a signed /compare: deferred in the response, the comparison edited in over REST', async () => {
    const payload = commandPayload(fake, 'compare', { topic: 'territory' });
    const body = JSON.stringify(payload);
    const timestamp = '1763715600';
    const signature = sign(null, Buffer.from(timestamp + body), pair.privateKey).toString('hex');
    const response = await fetch(discord.service.url!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
    const sent = edit.body as Body;
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    expect(sent.embeds[0].title).toBe(
      'How the proposals compare on territory and front lines (oldest first)',
    );
    expect(String(sent.embeds[0].description).split('\n\n')).toHaveLength(2);
  });
});

describe('npm run discord:register with the new commands', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('registers /compare (required topic with autocomplete) and /timeline (optional topic, since)', async () => {
    await registerCommands({
      token: 'bot-token',
      applicationId: fake.applicationId,
      guildId: undefined,
      restOptions: { api: fake.apiUrl, retries: 0 },
    });
    const body = fake.requests.at(-1)!.body as Body[];
    expect(body.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
    expect(body[1]).toMatchObject({
      name: 'compare',
      options: [
        { type: 3, name: 'topic', required: true, autocomplete: true },
        { type: 5, name: 'public' },
      ],
    });
    expect(body[2]).toMatchObject({
      name: 'timeline',
      options: [
        { type: 3, name: 'topic', autocomplete: true },
        { type: 3, name: 'since' },
        { type: 5, name: 'public' },
      ],
    });
    expect(body[2]!.options[0].required ?? false).toBe(false);
    expect(body[2]!.options[1].autocomplete ?? false).toBe(false);
  });
});
