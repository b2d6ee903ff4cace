import { describe, expect, it } from 'vitest';
import { digestMessages } from '../../adapters/discord/embeds.ts';
import { digestMessage } from '../../adapters/slack/digest-blocks.ts';
import { createEngine } from '../../src/answering/engine.ts';
import { createCoverage } from '../../src/coverage/coverage.ts';
import { parseDigestChannels } from '../../src/digest/channel-config.ts';
import { createDigestComposer } from '../../src/digest/compose.ts';
import { renderDigestText } from '../../src/digest/render-digest.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { createAsker, GAP_QUESTIONS } from '../coverage/seed.ts';
import { shippedCorpus } from '../helpers.ts';

async function composeWithGaps(gaps: number | undefined) {
  const engine = createEngine(await shippedCorpus());
  const stores = openSqliteStores(':memory:', { salt: 'digest' });
  const asker = createAsker(engine, stores.audit);
  for (const [question, user, platform] of GAP_QUESTIONS) await asker.ask(question, user, platform);
  // A question with markup and a would-be ping, declined.
  await asker.ask('What did <!channel> @everyone say about the *Pope*?', 'reporter-7', 'discord');
  const composer = createDigestComposer({
    engine,
    documents: stores.documents,
    digests: stores.digests,
    audit: stores.audit,
    coverage: createCoverage({ engine, insights: stores.insights, clock: asker.clock }),
    clock: asker.clock,
  });
  const { digest } = await composer.compose({
    platform: 'slack',
    channelId: 'C1',
    record: true,
    topQuestions: 0,
    ...(gaps === undefined ? {} : { gaps }),
  });
  stores.close();
  return digest;
}

describe('digest section "Asked but not in the sources"', () => {
  it('lists the top gaps of the period when the channel asks for them', async () => {
    const digest = await composeWithGaps(2);
    expect(digest.gaps).toEqual([
      expect.objectContaining({ label: 'Pope', count: 4, askers: 4 }),
      expect.objectContaining({ label: 'Brazil, mediator', count: 3, askers: 3 }),
    ]);
    expect(renderDigestText(digest)).toContain('\nAsked but not in the sources:\n  Pope (4× by 4 people): “');
    const slack = JSON.stringify(digestMessage(digest).blocks);
    expect(slack).toContain('*Asked but not in the sources:*');
    expect(slack).toContain('*Pope* (4× by 4 people)');
    expect(slack).not.toContain('<!channel>');
    const discord = digestMessages(digest).flatMap((m) => m.embeds ?? []);
    const section = discord.find((e) => e.title === 'Asked but not in the sources')!;
    expect(section.description).toContain('**Pope** (4× by 4 people)');
    expect(section.description).not.toMatch(/(^|[^\\])\*Pope\*[^*]/);
  });

  it('is left out by default', async () => {
    const digest = await composeWithGaps(undefined);
    expect(digest.gaps).toBeUndefined();
    expect(renderDigestText(digest)).not.toContain('Asked but not in the sources');
  });

  it('is configured per channel with gaps: N (default 0)', () => {
    const [plain, withGaps] = parseDigestChannels(
      'digest.config.json',
      JSON.stringify({
        channels: [
          { platform: 'slack', channelId: 'C1', schedule: '0 8 * * *' },
          { platform: 'discord', channelId: '123', schedule: '0 8 * * *', gaps: 3 },
        ],
      }),
    );
    expect(plain!.gaps).toBe(0);
    expect(withGaps!.gaps).toBe(3);
    expect(() =>
      parseDigestChannels(
        'x.json',
        JSON.stringify({
          channels: [{ platform: 'slack', channelId: 'C', schedule: '0 8 * * *', gaps: 99 }],
        }),
      ),
    ).toThrow(/gaps/);
  });
});
