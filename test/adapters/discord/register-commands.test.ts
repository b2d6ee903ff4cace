import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, registerCommands } from '../../../adapters/discord/register-commands.ts';
import { type FakeDiscord, startFakeDiscord } from './fake-discord.ts';
import { COMMAND_NAMES } from './fixtures.ts';

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('PUTs every command to the guild when a guild id is given', async () => {
    const result = await registerCommands({
      token: 'bot-token',
      applicationId: fake.applicationId,
      guildId: '1100000000000000001',
      restOptions: { api: fake.apiUrl, retries: 0 },
    });
    expect(result).toEqual({
      scope: 'guild 1100000000000000001',
      names: ['ask', 'compare', 'timeline', 'sources', 'digest', 'gaps', 'add', 'Find sources for this'],
    });
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('PUT');
    expect(request.path).toBe(
      `/api/v10/applications/${fake.applicationId}/guilds/1100000000000000001/commands`,
    );
    expect(request.headers.authorization).toBe('Bot bot-token');
    const body = request.body as Array<Record<string, unknown>>;
    expect(body.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
    // Guild commands carry no install or context fields (Discord takes them on global commands only).
    expect(body.some((c) => 'integration_types' in c || 'contexts' in c)).toBe(false);
    expect(body.at(-1)).toMatchObject({ name: 'Find sources for this', type: 3 });
    expect(body[0]).toMatchObject({
      name: 'ask',
      options: [
        { type: 3, name: 'question', required: true, autocomplete: true },
        { type: 5, name: 'public' },
      ],
    });
  });

  it('PUTs globally without a guild id', async () => {
    const result = await registerCommands({
      token: 'bot-token',
      applicationId: fake.applicationId,
      guildId: undefined,
      restOptions: { api: fake.apiUrl, retries: 0 },
    });
    expect(result.scope).toBe('global');
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/api/v10/applications/${fake.applicationId}/commands`,
    });
    // User-installable: /ask and the message command work in DMs; /digest and /gaps stay in servers.
    const body = fake.requests.at(-1)!.body as Array<Record<string, unknown>>;
    const byName = new Map(body.map((c) => [c.name, c]));
    expect(byName.get('ask')).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(byName.get('Find sources for this')).toMatchObject({
      type: 3,
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    });
    expect(byName.get('gaps')).toMatchObject({ integration_types: [0], contexts: [0] });
    expect(byName.get('digest')).toMatchObject({ integration_types: [0], contexts: [0] });
  });

  it('fails with Discord’s error instead of retrying forever', async () => {
    fake.overrides.push({
      method: 'PUT',
      path: /commands$/,
      status: 403,
      body: { message: 'Missing Access', code: 50001 },
    });
    await expect(
      registerCommands({
        token: 'bot-token',
        applicationId: fake.applicationId,
        guildId: '1100000000000000001',
        restOptions: { api: fake.apiUrl, retries: 0 },
      }),
    ).rejects.toThrow(/Missing Access/);
    fake.overrides.length = 0;
  });

  it('the script reads its settings through loadConfig and says what is missing', async () => {
    await expect(main([], { DISCORD_TOKEN: 'bot-token' })).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('DISCORD_APPLICATION_ID'),
    });
    const env = {
      DISCORD_TOKEN: 'bot-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    };
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      expect(await main([], env)).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(written.join('')).toBe(
      'Registered /ask, /compare, /timeline, /sources, /digest, /gaps, /add, "Find sources for this" (global).\n',
    );
  });
});
