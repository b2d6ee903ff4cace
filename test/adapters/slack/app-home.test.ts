import { afterEach, describe, expect, it } from 'vitest';
import { createSlackService } from '../../../adapters/slack/create-slack-service.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createCoverage } from '../../../src/coverage/coverage.ts';
import { createOverview } from '../../../src/coverage/overview.ts';
import type { DigestChannel } from '../../../src/digest/channel-config.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { shippedCorpus } from '../../helpers.ts';
import { slackConfig } from './config.ts';
import { eventCallback, type FakeSlack, signSlackRequest, startFakeSlack } from './fake-slack.ts';

const SECRET = 'home-signing-secret';
const EDITOR = 'U0EDITOR';
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of open.splice(0).reverse()) await stop();
});

const channel: DigestChannel = {
  platform: 'slack',
  channelId: 'C0DIGEST',
  schedule: '0 8 * * 1-5',
  timeZone: 'Europe/Kyiv',
  whenEmpty: 'say-so',
  topQuestions: 3,
  gaps: 2,
};

// The real Bolt App over HTTP against the fake Web API; questions go through the DM handler.
async function start() {
  const fake: FakeSlack = await startFakeSlack();
  open.push(() => fake.close());
  const clock = createManualClock('2026-02-01T10:00:00Z');
  const stores = createMemoryStores({ salt: 'home', clock });
  const engine = createEngine(await shippedCorpus());
  const coverage = createCoverage({ engine, insights: stores.insights, clock });
  const service = createSlackService({
    config: slackConfig({ signingSecret: SECRET, apiUrl: fake.apiUrl }),
    engine,
    ...stores,
    logger: silentLogger,
    clock,
    home: {
      editorIds: [EDITOR],
      overview: createOverview({ engine, audit: stores.audit, coverage, channels: [channel], clock }),
    },
  });
  await service.start();
  open.push(() => service.stop());
  let events = 0;
  const deliver = async (event: Record<string, unknown>) => {
    const raw = JSON.stringify(eventCallback(`Ev${++events}`, event));
    const response = await fetch(`http://127.0.0.1:${service.address()!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw) },
      body: raw,
    });
    expect(response.status).toBe(200);
  };
  const dm = async (user: string, text: string) => {
    const before = fake.callsTo('chat.postMessage').length;
    await deliver({
      type: 'message',
      channel_type: 'im',
      channel: `D${user}`,
      user,
      text,
      ts: `17000000${events}.0001`,
    });
    await fake.waitForCalls('chat.postMessage', before + 1);
  };
  const openHome = async (user: string, tab = 'home') =>
    deliver({ type: 'app_home_opened', user, channel: `D${user}`, tab, event_ts: '1700000000.1' });
  const views = () =>
    fake.callsTo('views.publish').map((call) => ({
      user: call.body.user_id,
      view: JSON.parse(String(call.body.view)) as { type: string; blocks: unknown[] },
    }));
  return { fake, dm, openHome, views, stores };
}

describe('Slack App Home', () => {
  it('publishes the corpus, newest articles, digests, most asked and, for editors, the gaps asked in DMs', async () => {
    const h = await start();
    await h.dm('U0REPORTER', 'What about the Pope?');
    await h.dm('U0OTHER', 'what about the pope');
    await h.dm('U0OTHER', 'What does the US draft say about NATO?');
    expect(h.stores.audit.records.map((r) => r.answered)).toEqual([false, false, true]);

    // The editor is in the digest channel; the reporter in none (the fake's default: no channels).
    h.fake.replyOnce('users.conversations', {
      body: { ok: true, channels: [{ id: 'C0DIGEST' }, { id: 'C0OTHER' }] },
    });
    await h.openHome(EDITOR);
    await h.fake.waitForCalls('views.publish', 1);
    expect(h.fake.callsTo('users.conversations')[0]!.body).toMatchObject({ user: EDITOR });
    const [editorView] = h.views();
    expect(editorView!.user).toBe(EDITOR);
    expect(editorView!.view.type).toBe('home');
    const text = JSON.stringify(editorView!.view.blocks);
    expect(text).toContain('Corpus as of 2026-01-28* · 5 articles');
    expect(text).toContain('US ties security guarantees');
    expect(text).toContain('Digests in your channels');
    expect(text).toContain('<#C0DIGEST>: `0 8 * * 1-5` (Europe/Kyiv), with 2 coverage gaps');
    expect(text).toContain('What about the Pope? (2×)');
    expect(text).toContain('Asked but not in the sources (editors)');
    expect(text).toContain('*Pope* (2× by 2 people)');
    // No asker id or hash is shown.
    expect(text).not.toMatch(/U0REPORTER|U0OTHER|[0-9a-f]{32}/);

    await h.openHome('U0REPORTER');
    await h.fake.waitForCalls('views.publish', 2);
    const reporterView = JSON.stringify(h.views()[1]!.view.blocks);
    expect(reporterView).toContain('Most asked');
    expect(reporterView).not.toContain('Asked but not in the sources');
    expect(reporterView).toContain('None of your channels gets a digest.');
    expect(reporterView).not.toContain('C0DIGEST');

    // Without the channels:read scope (an app installed from an older manifest): every digest.
    h.fake.replyOnce('users.conversations', { body: { ok: false, error: 'missing_scope' } });
    await h.openHome('U0REPORTER');
    await h.fake.waitForCalls('views.publish', 3);
    const fallback = JSON.stringify(h.views()[2]!.view.blocks);
    expect(fallback).toContain('*Digests*');
    expect(fallback).toContain('<#C0DIGEST>');
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const h = await start();
    await h.openHome(EDITOR, 'messages');
    await h.openHome(EDITOR, 'home');
    await h.fake.waitForCalls('views.publish', 1);
    expect(h.views()).toHaveLength(1);
  });
});
