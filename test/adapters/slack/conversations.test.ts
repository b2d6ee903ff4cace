import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackService } from '../../../adapters/slack/create-slack-service.ts';
import { FIND_SOURCES_CALLBACK, SHARE_SOURCES_ACTION } from '../../../adapters/slack/sources-blocks.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import type { CorpusDocument } from '../../../src/corpus/schema.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { shippedCorpus } from '../../helpers.ts';
import { slackConfig } from './config.ts';
import {
  eventCallback,
  FAKE,
  type FakeSlack,
  type RecordedCall,
  signSlackRequest,
  startFakeSlack,
} from './fake-slack.ts';

const SECRET = 'conversation-secret';
const US_DRAFT_TITLE = 'US draft peace plan would hand Russia the Donbas';
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of open.splice(0).reverse()) await stop();
});

let corpus: CorpusDocument[];
beforeAll(async () => {
  corpus = await shippedCorpus();
});

// The real Bolt App over HTTP against the fake Web API, on the shipped corpus.
async function start() {
  const fake: FakeSlack = await startFakeSlack();
  open.push(() => fake.close());
  const clock = createManualClock('2026-02-01T10:00:00Z');
  const stores = createMemoryStores({ salt: 'conv', clock });
  const service = createSlackService({
    config: slackConfig({ signingSecret: SECRET, apiUrl: fake.apiUrl }),
    engine: createEngine(corpus, { clock }),
    ...stores,
    logger: silentLogger,
    clock,
  });
  await service.start();
  open.push(() => service.stop());
  const post = async (raw: string, contentType: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${service.address()!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlackRequest(SECRET, raw), ...headers },
      body: raw,
    });
    expect(response.status).toBe(200);
    await response.text();
  };
  let ids = 0;
  const deliver = (eventId: string, event: Record<string, unknown>, retry = false) =>
    post(
      JSON.stringify(eventCallback(eventId, event)),
      'application/json',
      retry ? { 'x-slack-retry-num': '1' } : {},
    );
  const interactive = (payload: Record<string, unknown>) =>
    post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  /** Deliver and wait for the answer to be posted (or for its absence to be certain: the next one arrives). */
  const posts = () => fake.callsTo('chat.postMessage');
  return { fake, stores, deliver, interactive, posts, nextId: () => `Ev${++ids}` };
}

const textOf = (call: RecordedCall) => JSON.stringify(call.body.blocks);

/** Wait until the fake holds `count` calls matching `pick`. */
async function waitFor(
  fake: FakeSlack,
  pick: (call: RecordedCall) => boolean,
  count = 1,
): Promise<RecordedCall[]> {
  for (let i = 0; i < 500; i++) {
    const found = fake.calls.filter(pick);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} calls; got ${fake.calls.map((c) => c.method).join(', ')}`);
}

const mention = (ts: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'app_mention',
  user: 'U1',
  text: `<@${FAKE.botUserId}> ${text}`,
  ts,
  channel: 'C1',
  ...extra,
});
const reply = (ts: string, threadTs: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel_type: 'channel',
  user: 'U2',
  text,
  ts,
  thread_ts: threadTs,
  channel: 'C1',
  ...extra,
});

describe('Slack conversations (real Bolt App, fake Web API)', () => {
  it('answers a reply in its thread without a mention, with the inherited context, once', async () => {
    const h = await start();
    await h.deliver(h.nextId(), mention('1700000001.000100', 'What does the US draft say about territory?'));
    const [first] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage');
    expect(first!.body.thread_ts).toBe('1700000001.000100');
    expect(textOf(first!)).not.toContain('Following on from');

    const followUp = reply('1700000002.000100', '1700000001.000100', 'what about NATO?');
    const id = h.nextId();
    await h.deliver(id, followUp);
    await h.deliver(id, followUp, true); // Slack's redelivery of the same event
    const [, second] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage', 2);
    expect(second!.body.thread_ts).toBe('1700000001.000100');
    const shown = textOf(second!);
    expect(shown).toContain('Following on from: What does the US draft say about territory?');
    expect(shown).toContain('NATO');
    expect(shown).toContain(US_DRAFT_TITLE);
    expect(shown).not.toContain('Reuters');
    // Nothing pings: no user, channel or everyone mention in what was posted.
    expect(JSON.stringify(second!.body)).not.toMatch(/<[@!]/);

    // A new subject in the same thread starts over.
    await h.deliver(
      h.nextId(),
      reply('1700000003.000100', '1700000001.000100', 'What did Putin demand at the Alaska summit?'),
    );
    const [, , third] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage', 3);
    expect(textOf(third!)).not.toContain('Following on from');
    expect(textOf(third!)).toContain('Reuters');
    expect(h.posts()).toHaveLength(3);
  });

  it('ignores replies in threads it did not answer in, bot messages, edits, and mentions (answered once via app_mention)', async () => {
    const h = await start();
    await h.deliver(h.nextId(), mention('1700000001.000100', 'What does the US draft say about territory?'));
    await waitFor(h.fake, (c) => c.method === 'chat.postMessage');
    await h.deliver(h.nextId(), reply('1700000005.000100', '1700000009.000100', 'what about NATO?'));
    await h.deliver(
      h.nextId(),
      reply('1700000006.000100', '1700000001.000100', 'what about NATO?', {
        bot_id: 'B0OTHER',
        subtype: 'bot_message',
      }),
    );
    await h.deliver(
      h.nextId(),
      reply('1700000007.000100', '1700000001.000100', 'what about NATO?', { subtype: 'message_changed' }),
    );
    // A reply that mentions the bot arrives as message and as app_mention: one answer.
    const text = `<@${FAKE.botUserId}> and since August?`;
    await h.deliver(h.nextId(), reply('1700000008.000100', '1700000001.000100', text));
    await h.deliver(h.nextId(), {
      ...mention('1700000008.000100', 'and since August?'),
      thread_ts: '1700000001.000100',
    });
    const [, answered] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage', 2);
    expect(textOf(answered!)).toContain('Following on from');
    // A last, plain follow-up is answered; nothing else arrived before it.
    await h.deliver(h.nextId(), reply('1700000010.000100', '1700000001.000100', 'the Reuters one'));
    const all = await waitFor(h.fake, (c) => c.method === 'chat.postMessage', 3);
    expect(textOf(all[2]!)).toContain('Reuters');
    expect(h.posts()).toHaveLength(3);
    // The thread is the bot's, durably: the store knows it.
    expect(await h.stores.threads.get('slack', 'C1:1700000001.000100')).toBeDefined();
  });

  it('"Find sources for this" answers privately per claim, once per double click, and shares once', async () => {
    const h = await start();
    const shortcut = {
      type: 'message_action',
      callback_id: FIND_SOURCES_CALLBACK,
      trigger_id: 'trig-1',
      team: { id: FAKE.team, domain: 'fake' },
      user: { id: 'U1', username: 'reporter', team_id: FAKE.team },
      channel: { id: 'C1', name: 'newsroom' },
      message_ts: '1700000020.000100',
      message: {
        type: 'message',
        user: 'U3',
        ts: '1700000020.000100',
        text: "The US draft would cap Ukraine's army at 800,000 troops. Bananas are yellow.",
      },
      response_url: h.fake.responseUrl('sources'),
      token: 'verification-token',
      action_ts: '1700000021.000100',
    };
    await h.interactive(shortcut);
    await h.interactive(shortcut); // a double click
    const [privately] = await waitFor(h.fake, (c) => c.path === '/respond/sources');
    expect(privately!.body.response_type).toBe('ephemeral');
    const shown = JSON.stringify(privately!.body.blocks);
    expect(shown).toContain('1. Claim:');
    expect(shown).toContain('the article says 880,000 and 600,000, the message 800,000');
    expect(shown).toContain('Unattributed report, 2025-11-20');
    expect(shown).toContain('No article bears on this.');
    expect(shown.replace(/"(?:verbatim|emoji)":true/g, '')).not.toMatch(/\b(?:true|false)\b/i);

    const blocks = privately!.body.blocks as Array<{
      type: string;
      elements?: Array<{ action_id?: string; value?: string }>;
    }>;
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === SHARE_SOURCES_ACTION)!;
    const click = {
      type: 'block_actions',
      team: { id: FAKE.team, domain: 'fake' },
      user: { id: 'U1', username: 'reporter', team_id: FAKE.team },
      api_app_id: FAKE.appId,
      token: 'verification-token',
      container: { type: 'message', message_ts: '1700000022.000100', channel_id: 'C1', is_ephemeral: true },
      trigger_id: 'trig-2',
      channel: { id: 'C1', name: 'newsroom' },
      response_url: h.fake.responseUrl('share'),
      actions: [
        {
          action_id: SHARE_SOURCES_ACTION,
          block_id: 'peacedesk_sources_share',
          value: button.value,
          type: 'button',
          action_ts: '1700000023.000100',
          text: { type: 'plain_text', text: 'Share in channel' },
        },
      ],
    };
    await h.interactive(click);
    await h.interactive(click);
    const [shared] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage');
    expect(shared!.body.channel).toBe('C1');
    expect(JSON.stringify(shared!.body.blocks)).toContain('Shared from a private lookup.');
    await waitFor(h.fake, (c) => c.path === '/respond/share');
    expect(h.fake.calls.filter((c) => c.path === '/respond/sources')).toHaveLength(1);
    expect(h.posts()).toHaveLength(1);
  });

  it('opening the agent DM sets the suggested prompts (no thread_ts, as agent apps need)', async () => {
    const h = await start();
    await h.deliver(h.nextId(), {
      type: 'app_home_opened',
      user: 'U1',
      channel: 'D0U1',
      tab: 'messages',
      event_ts: '1700000030.000100',
    });
    const [call] = await waitFor(h.fake, (c) => c.method === 'assistant.threads.setSuggestedPrompts');
    expect(call!.body.channel_id).toBe('D0U1');
    expect(call!.body.thread_ts).toBeUndefined();
    const prompts = JSON.parse(String(call!.body.prompts)) as Array<{ title: string; message: string }>;
    expect(prompts[0]).toEqual({
      title: 'What changed since yesterday?',
      message: 'What has changed since yesterday?',
    });
    expect(prompts[1]!.title).toMatch(/^Newest: /);
    expect(prompts.length).toBeLessThanOrEqual(4);
    expect(prompts.some((p) => p.message.startsWith('Compare the proposals on'))).toBe(true);
  });

  it('a DM is one conversation: a follow-up in the DM inherits the last question', async () => {
    const h = await start();
    const dm = (ts: string, text: string) => ({
      type: 'message',
      channel_type: 'im',
      channel: 'D0U1',
      user: 'U1',
      text,
      ts,
    });
    await h.deliver(h.nextId(), dm('1700000040.000100', 'What does the US draft say about territory?'));
    await waitFor(h.fake, (c) => c.method === 'chat.postMessage');
    await h.deliver(h.nextId(), dm('1700000041.000100', 'what about NATO?'));
    const [, second] = await waitFor(h.fake, (c) => c.method === 'chat.postMessage', 2);
    expect(textOf(second!)).toContain('Following on from: What does the US draft say about territory?');
  });
});
