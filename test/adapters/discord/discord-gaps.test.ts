import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { createCoverage } from '../../../src/coverage/coverage.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type FakeDiscord, interactionPayload, startFakeDiscord } from './fake-discord.ts';
import { fixtureDeps, fixtureEngine, interact } from './fixtures.ts';

const EDITOR_ROLE = '1300000000000000777';

// The real discord.js Client against the fake: questions asked with /ask become /gaps for editors.
describe('Discord /gaps (gateway mode)', () => {
  let fake: FakeDiscord;
  let discord: ReturnType<typeof createDiscordService>;
  const deps = fixtureDeps();
  const engine = fixtureEngine();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    discord = createDiscordService({
      config: {
        mode: 'gateway',
        token: 'bot-token',
        applicationId: fake.applicationId,
        guildId: undefined,
        publicKey: undefined,
        httpPort: 0,
        apiUrl: fake.apiUrl,
        asksPerMinute: 10,
        httpHost: '127.0.0.1',
      },
      engine,
      feedback: deps.feedback,
      audit: deps.stores.audit,
      ledger: deps.stores.ledger,
      digest: undefined,
      logger: silentLogger,
      clock: deps.clock,
      restOptions: { retries: 0 },
      coverage: createCoverage({ engine, insights: deps.stores.insights, clock: deps.clock }),
      editorRoleIds: [EDITOR_ROLE],
    });
    await discord.service.start();
  });
  afterAll(async () => {
    await discord?.service.stop();
    await fake?.close();
  });

  const withRoles = (payload: ReturnType<typeof interactionPayload>, roles: string[]) => {
    (payload.member as { roles: string[] }).roles = roles;
    return payload;
  };
  const ask = (question: string, userId: string) =>
    interact(
      fake,
      interactionPayload(
        fake,
        { type: 2, name: 'ask', options: [{ name: 'question', type: 3, value: question }] },
        { userId },
      ),
      true,
    );
  const gaps = (roles: string[], since?: string) =>
    interact(
      fake,
      withRoles(
        interactionPayload(fake, {
          type: 2,
          name: 'gaps',
          options: since ? [{ name: 'since', type: 3, value: since }] : [],
        }),
        roles,
      ),
      true,
    );

  it('shows editors the declined questions asked through /ask, grouped, privately', async () => {
    await ask('What about the Pope?', '1000000000000000201');
    await ask('What did the Pope say about the amnesty?', '1000000000000000202');
    await ask('Would the draft bar Ukraine from NATO?', '1000000000000000203');
    expect(deps.stores.audit.records.map((r) => r.answered)).toEqual([false, false, true]);

    const { callback, edit } = await gaps(['1300000000000000001', EDITOR_ROLE]);
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    const embed = edit!.embeds[0];
    expect(embed.title).toMatch(/^Asked but not in the sources \(since \d{4}-\d{2}-\d{2}\)$/);
    expect(embed.fields).toHaveLength(1);
    expect(embed.fields[0].name).toBe('1. Pope — 2× by 2 people');
    expect(embed.fields[0].value).toContain('“What about the Pope?”');
    expect(embed.footer.text).toContain('2 declined questions');
    expect(JSON.stringify(edit)).not.toContain('100000000000000020');
    expect(edit!.allowed_mentions).toEqual({ parse: [] });
  });

  it('refuses members without an editor role, and explains a bad window', async () => {
    const refused = await gaps(['1300000000000000001']);
    expect(refused.edit!.content).toContain('Only editors can see coverage gaps');
    expect(refused.edit!.embeds ?? []).toEqual([]);
    const bad = await gaps([EDITOR_ROLE], 'whenever');
    expect(bad.edit!.content).toContain('is not a time');
  });
});
