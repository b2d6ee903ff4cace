import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../adapters/slack/blocks.ts';
import type { SlackConfig } from '../../../adapters/slack/config.ts';
import {
  createSlackService,
  type SlackService,
  type SlackServiceOptions,
} from '../../../adapters/slack/create-slack-service.ts';
import { createEngine, type Engine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createLinkAdder, NOT_AN_EDITOR_MESSAGE } from '../../../src/corpus/link-adder.ts';
import type { Digest } from '../../../src/digest/types.ts';
import { createSafeFetcher } from '../../../src/fetch/safe-fetch.ts';
import { createLogger } from '../../../src/logger.ts';
import { APOLOGY_MESSAGE as APOLOGY } from '../../../src/messages/index.ts';
import { createMemoryLiveCorpusStore } from '../../../src/store/live-corpus-store.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { makeDocument, tempFolder } from '../../helpers.ts';
import { articlePage, startSite } from '../../live-corpus/site.ts';
import { GENEVA_STORY } from '../../live-corpus/stories.ts';
import {
  eventCallback,
  FAKE,
  type FakeSlack,
  type RecordedCall,
  signSlackRequest,
  startFakeSlack,
} from './fake-slack.ts';

const SECRET = 'test-signing-secret';

// Four small articles: three proposals (for comparisons and timelines), and one whose title,
// outlet and text try to ping everyone (and say nothing on territory or NATO).
function testEngine(): Engine {
  const engine = createEngine([
    makeDocument(
      'draft-plan',
      'The draft plan would freeze the front line in Zaporizhzhia and Kherson along the current contact line. Ukraine would cap its army at 600,000 troops under the proposal. Kyiv would write into its constitution that it will never join NATO.',
      {
        title: 'Draft plan freezes front line',
        source: 'Test Wire',
        published: '2025-11-20',
        url: 'https://example.com/plan?a=1&b=2',
        proposedBy: 'United States',
        proposal: 'The 28-point draft',
      },
    ),
    makeDocument(
      'istanbul-memo',
      'The memorandum demanded that Ukraine withdraw its troops from Donetsk and Luhansk. It also asked Kyiv to accept permanent neutrality outside any alliance.',
      {
        title: 'Moscow hands over its memorandum',
        source: 'Test Wire',
        published: '2025-06-02',
        proposedBy: 'Russia',
        proposal: 'The Istanbul memorandum',
      },
    ),
    makeDocument(
      'alaska-terms',
      'After the Alaska summit Putin asked for all of Donbas in exchange for halting the offensive. He repeated that NATO must not take Ukraine in.',
      {
        title: 'Putin sets out his terms',
        source: 'Other Wire',
        published: '2025-08-21',
        proposedBy: 'Russia (Vladimir Putin)',
        proposal: "Putin's terms after the Alaska summit",
      },
    ),
    makeDocument(
      'hostile',
      'The grain corridor invitation was addressed to <@U999> & <b>everyone</b> at the corridor meeting.',
      { title: 'Grain corridor <!channel> talks', source: 'Wire <!here> & Co', published: '2025-10-01' },
    ),
  ]);
  // A question containing "explode" makes the engine fail unexpectedly (handler error path).
  return {
    ...engine,
    answer: (question, options) => {
      if (question.includes('explode')) throw new Error('engine exploded');
      return engine.answer(question, options);
    },
    answerAsync: async (question, options) => {
      if (question.includes('explode')) throw new Error('engine exploded');
      return engine.answerAsync(question, options);
    },
  };
}

type Mode = 'http' | 'socket';

interface Harness {
  fake: FakeSlack;
  service: SlackService;
  config: SlackConfig;
  stores: ReturnType<typeof createMemoryStores>;
  claims: string[];
  logs: string[];
  /** Deliver an Events API body; resolves once Slack would see the ack (HTTP status 200 / envelope ack). */
  event(body: Record<string, unknown>, retryNum?: number): Promise<void>;
  command(text: string, user?: string, channel?: string): Promise<string>;
  click(actionId: string, value: string, user: string, channel: string): Promise<string>;
}

const open: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.stop();
});

async function startHarness(
  mode: Mode,
  overrides: Partial<SlackConfig> = {},
  extra: Partial<SlackServiceOptions> = {},
): Promise<Harness> {
  const fake = await startFakeSlack();
  open.push({ stop: () => fake.close() });
  const clock = createManualClock('2026-01-01T10:00:00Z');
  const stores = createMemoryStores({ salt: 'salt', clock });
  const claims: string[] = [];
  const ledger = {
    claim: async (key: string) => {
      claims.push(key);
      return stores.ledger.claim(key);
    },
  };
  const logs: string[] = [];
  const config: SlackConfig = {
    botToken: 'xoxb-test',
    appToken: mode === 'socket' ? 'xapp-test' : undefined,
    signingSecret: mode === 'http' ? SECRET : undefined,
    port: 0,
    host: '127.0.0.1',
    command: '/peacedesk',
    answerBots: false,
    apiUrl: fake.apiUrl,
    ...overrides,
  };
  const service = createSlackService({
    config,
    engine: testEngine(),
    feedback: stores.feedback,
    audit: stores.audit,
    ledger,
    logger: createLogger('debug', (line) => logs.push(line)),
    clock,
    socketPingTimeoutMs: 100,
    reconnectDelayMs: 5,
    ...extra,
  });
  await service.start();
  open.push(service);
  if (mode === 'socket') await fake.connected();

  let responses = 0;
  const post = async (raw: string, contentType: string, headers: Record<string, string> = {}) => {
    const url = `http://127.0.0.1:${service.address()!.port}/slack/events`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlackRequest(SECRET, raw), ...headers },
      body: raw,
    });
    expect(response.status).toBe(200);
    await response.text();
  };
  return {
    fake,
    service,
    config,
    stores,
    claims,
    logs,
    async event(body, retryNum) {
      if (mode === 'http') {
        const retry: Record<string, string> = retryNum
          ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' }
          : {};
        await post(JSON.stringify(body), 'application/json', retry);
      } else {
        await fake.sendEnvelope(
          'events_api',
          body,
          retryNum ? { retry_attempt: retryNum, retry_reason: 'timeout' } : {},
        );
      }
    },
    async command(text, user = 'U1', channel = 'C1') {
      responses++;
      const id = `cmd${responses}`;
      const fields = {
        token: 'verification-token',
        team_id: FAKE.team,
        team_domain: 'fake',
        channel_id: channel,
        channel_name: 'newsroom',
        user_id: user,
        user_name: 'reporter',
        command: '/peacedesk',
        text,
        api_app_id: FAKE.appId,
        response_url: fake.responseUrl(id),
        trigger_id: `trigger-${id}`,
      };
      if (mode === 'http')
        await post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
      else await fake.sendEnvelope('slash_commands', fields);
      return `/respond/${id}`;
    },
    async click(actionId, value, user, channel) {
      responses++;
      const id = `act${responses}`;
      const payload = {
        type: 'block_actions',
        team: { id: FAKE.team, domain: 'fake' },
        user: { id: user, username: user, team_id: FAKE.team },
        api_app_id: FAKE.appId,
        token: 'verification-token',
        container: {
          type: 'message',
          message_ts: '1700000000.000100',
          channel_id: channel,
          is_ephemeral: true,
        },
        trigger_id: `trigger-${id}`,
        channel: { id: channel, name: 'newsroom' },
        response_url: fake.responseUrl(id),
        actions: [
          {
            action_id: actionId,
            block_id: 'peacedesk_feedback',
            value,
            type: 'button',
            action_ts: '1700000001.000200',
            text: { type: 'plain_text', text: 'button' },
          },
        ],
      };
      if (mode === 'http')
        await post(
          new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
          'application/x-www-form-urlencoded',
        );
      else await fake.sendEnvelope('interactive', payload);
      return `/respond/${id}`;
    },
  };
}

const mention = (eventId: string, ts: string, text: string, extra: Record<string, unknown> = {}) =>
  eventCallback(eventId, {
    type: 'app_mention',
    user: 'U1',
    text: `<@${FAKE.botUserId}> ${text}`,
    ts,
    channel: 'C1',
    ...extra,
  });

const dm = (eventId: string, ts: string, text: string, extra: Record<string, unknown> = {}) =>
  eventCallback(eventId, {
    type: 'message',
    channel_type: 'im',
    user: 'U1',
    text,
    ts,
    channel: 'D1',
    ...extra,
  });

/** All text in a recorded message, for "does it contain" checks. */
const messageJson = (call: RecordedCall) =>
  JSON.stringify({ text: call.body.text, blocks: call.body.blocks });

/** The response_url posts to one path. */
const responsesTo = (fake: FakeSlack, path: string) =>
  fake.callsTo('response_url').filter((c) => c.path === path);

async function waitForResponse(fake: FakeSlack, path: string, count = 1): Promise<RecordedCall[]> {
  for (let i = 0; i < 500; i++) {
    const found = responsesTo(fake, path);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no response_url post to ${path}`);
}

/** The value of a button in a recorded message's blocks. */
function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!button?.value) throw new Error(`no ${actionId} button`);
  return button.value;
}

describe.each(['http', 'socket'] as const)('Slack adapter (%s mode)', (mode) => {
  it('answers a mention in a thread under it, with quoted snippets, bold terms and linked sources', async () => {
    const h = await startHarness(mode);
    await h.event(mention('Ev1', '1700000100.000100', 'Where would the front line be frozen?'));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.headers.authorization).toBe('Bearer xoxb-test');
    expect(post!.body).toMatchObject({
      channel: 'C1',
      thread_ts: '1700000100.000100',
      unfurl_links: 'false',
    });
    const json = messageJson(post!);
    expect(json).toContain('*Question:* Where would the front line be frozen?');
    expect(json).toContain('*front line*');
    expect(json).toContain(
      '<https://example.com/plan?a=1&amp;b=2|Draft plan freezes front line> — Test Wire, 2025-11-20',
    );
    expect(json).toContain(ACTIONS.voteUp);
    expect(String(post!.body.text)).toContain('The draft plan would freeze');
    expect(h.stores.audit.records).toMatchObject([
      {
        platform: 'slack',
        question: 'Where would the front line be frozen?',
        answered: true,
        citedDocIds: ['draft-plan'],
        // The workspace it came from, for digests and gaps per workspace.
        workspaceId: FAKE.team,
      },
    ]);
  });

  it('answers a mention inside a thread in that thread', async () => {
    const h = await startHarness(mode);
    await h.event(
      mention('Ev2', '1700000200.000200', 'Where would the front line be frozen?', {
        thread_ts: '1700000111.000001',
      }),
    );
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.body.thread_ts).toBe('1700000111.000001');
  });

  it('answers a direct message in the DM, and says so plainly when the sources do not cover it', async () => {
    const h = await startHarness(mode);
    await h.event(dm('Ev3', '1700000300.000300', 'What about the moon landing?'));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.body.channel).toBe('D1');
    expect(post!.body.thread_ts).toBeUndefined();
    expect(messageJson(post!)).toContain('The sources do not answer that question.');
  });

  it('acks a slash command, answers privately, and shares the answer to the channel on request', async () => {
    const h = await startHarness(mode);
    const release = h.fake.hold('response_url');
    // The command is acknowledged while the answer is still on its way.
    const path = await h.command('Where would the front line be frozen?');
    release();
    const [reply] = await waitForResponse(h.fake, path);
    expect(reply!.body.response_type).toBe('ephemeral');
    expect(messageJson(reply!)).toContain('*Question:* Where would the front line be frozen?');
    if (mode === 'socket')
      expect(h.fake.timeline.indexOf('ack:env-1')).toBeLessThan(h.fake.timeline.indexOf('response_url'));

    const share = buttonValue(reply!, ACTIONS.share);
    const sharePath = await h.click(ACTIONS.share, share, 'U1', 'C1');
    const [posted] = await h.fake.waitForCalls('chat.postMessage');
    expect(posted!.body.channel).toBe('C1');
    expect(messageJson(posted!)).toContain('Asked by <@U1>');
    expect(messageJson(posted!)).toContain('*front line*');
    expect(messageJson(posted!)).not.toContain(ACTIONS.share);
    const [done] = await waitForResponse(h.fake, sharePath);
    expect(done!.body).toMatchObject({ replace_original: true, text: 'Shared in the channel.' });

    // A second click (double click, or a redelivery) does not post it again.
    const again = await h.click(ACTIONS.share, share, 'U1', 'C1');
    await waitForResponse(h.fake, await h.command('help'));
    expect(responsesTo(h.fake, again)).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('shares the answer that was given, without asking the engine again', async () => {
    const engine = testEngine();
    const asked: string[] = [];
    const counting: Engine = {
      ...engine,
      answerAsync: async (question, options) => {
        asked.push(question);
        return engine.answerAsync(question, options);
      },
    };
    const h = await startHarness(mode, {}, { engine: counting });
    const [reply] = await waitForResponse(h.fake, await h.command('Where would the front line be frozen?'));
    await h.click(ACTIONS.share, buttonValue(reply!, ACTIONS.share), 'U1', 'C1');
    const [posted] = await h.fake.waitForCalls('chat.postMessage');
    expect(messageJson(posted!)).toContain('*front line*');
    expect(asked).toEqual(['Where would the front line be frozen?']);
  });

  it('limits how often one person asks (SLACK_ASKS_PER_MINUTE), commands included', async () => {
    const h = await startHarness(mode, { asksPerMinute: 1 });
    const [first] = await waitForResponse(h.fake, await h.command('Where would the front line be frozen?'));
    expect(messageJson(first!)).toContain('*front line*');
    const [second] = await waitForResponse(h.fake, await h.command('compare territory'));
    expect(messageJson(second!)).toContain('You are asking quickly; please wait 60 seconds');
    const [other] = await waitForResponse(h.fake, await h.command('compare territory', 'U2'));
    expect(messageJson(other!)).not.toContain('You are asking quickly');
  });

  it('shares through the response_url where the bot cannot post', async () => {
    const h = await startHarness(mode);
    const path = await h.command('Where would the front line be frozen?', 'U1', 'G1');
    const [reply] = await waitForResponse(h.fake, path);
    h.fake.replyOnce('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    const sharePath = await h.click(ACTIONS.share, buttonValue(reply!, ACTIONS.share), 'U1', 'G1');
    const [publicPost, done] = await waitForResponse(h.fake, sharePath, 2);
    expect(publicPost!.body.response_type).toBe('in_channel');
    expect(done!.body.text).toBe('Shared in the channel.');
  });

  it('answers with chat.postEphemeral when the response_url fails', async () => {
    const h = await startHarness(mode);
    h.fake.replyOnce('response_url', { status: 404, body: { ok: false } });
    await h.command('Where would the front line be frozen?', 'U7', 'C7');
    const [ephemeral] = await h.fake.waitForCalls('chat.postEphemeral');
    expect(ephemeral!.body).toMatchObject({ channel: 'C7', user: 'U7' });
    expect(messageJson(ephemeral!)).toContain('*front line*');
  });

  it('lists the sources and explains usage', async () => {
    const h = await startHarness(mode);
    const [sources] = await waitForResponse(h.fake, await h.command('sources'));
    expect(messageJson(sources!)).toContain('4 articles in the sources');
    expect(messageJson(sources!)).toContain('Grain corridor &lt;!channel&gt; talks');
    const [help] = await waitForResponse(h.fake, await h.command('help'));
    expect(messageJson(help!)).toContain('/peacedesk sources');
    expect(messageJson(help!)).toContain('/peacedesk compare territory');
    expect(messageJson(help!)).toContain('/peacedesk timeline nato since August 2025');
    expect(messageJson(help!)).toContain('`military-limits` (');
    const [empty] = await waitForResponse(h.fake, await h.command(''));
    expect(messageJson(empty!)).toContain('/peacedesk help');
  });

  it('compares the proposals on a topic privately, oldest first, with the silent documents', async () => {
    const h = await startHarness(mode);
    const release = h.fake.hold('response_url');
    const path = await h.command('compare territory');
    release();
    const [reply] = await waitForResponse(h.fake, path);
    if (mode === 'socket')
      expect(h.fake.timeline.indexOf('ack:env-1')).toBeLessThan(h.fake.timeline.indexOf('response_url'));
    expect(reply!.body.response_type).toBe('ephemeral');
    const json = messageJson(reply!);
    expect(json).toContain('*How the proposals compare on territory and front lines (oldest first)*');
    const rows = [
      '*Russia, 2025-06-02: The Istanbul memorandum*',
      "*Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit*",
      '*United States, 2025-11-20: The 28-point draft*',
    ].map((label) => json.indexOf(label));
    expect(rows.every((at) => at >= 0)).toBe(true);
    expect([...rows].sort((a, b) => a - b)).toEqual(rows);
    expect(json).toContain('*Donbas*');
    expect(json).toContain(
      '<https://example.com/plan?a=1&amp;b=2|Draft plan freezes front line> — Test Wire, 2025-11-20',
    );
    expect(json).toContain(
      'Silent on this: Grain corridor &lt;!channel&gt; talks — Wire &lt;!here&gt; &amp; Co, 2025-10-01.',
    );
    expect(json).toContain('As of 2025-11-20');
    expect(h.stores.audit.records).toMatchObject([
      {
        question: 'compare territory',
        answered: true,
        citedDocIds: ['istanbul-memo', 'alaska-terms', 'draft-plan'],
        workspaceId: FAKE.team,
      },
    ]);

    // Sharing it posts the same comparison to the channel.
    await h.click(ACTIONS.share, buttonValue(reply!, ACTIONS.share), 'U1', 'C1');
    const [posted] = await h.fake.waitForCalls('chat.postMessage');
    expect(messageJson(posted!)).toContain('*United States, 2025-11-20: The 28-point draft*');
    expect(messageJson(posted!)).toContain('Silent on this:');
  });

  it('follows a topic over time from a date, in either date form', async () => {
    const h = await startHarness(mode);
    for (const text of ['timeline nato since 2025-08-01', 'timeline NATO since August 2025']) {
      const [reply] = await waitForResponse(h.fake, await h.command(text));
      expect(reply!.body.response_type).toBe('ephemeral');
      const json = messageJson(reply!);
      expect(json).toContain('*Timeline on NATO and neutrality since 2025-08-01: 2 documents, oldest first*');
      expect(
        json.indexOf("*Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit*"),
      ).toBeLessThan(json.indexOf('*United States, 2025-11-20: The 28-point draft*'));
      expect(json).toContain('never *join NATO*');
      expect(json).not.toContain('Istanbul memorandum');
      expect(json).toContain(ACTIONS.share);
    }
    expect(h.stores.audit.records.map((r) => r.question)).toEqual([
      'timeline nato since 2025-08-01',
      'timeline NATO since August 2025',
    ]);
  });

  it('answers an unknown topic or an unreadable date privately with what to write instead', async () => {
    const h = await startHarness(mode);
    const [unknown] = await waitForResponse(h.fake, await h.command('compare the weather'));
    expect(unknown!.body.response_type).toBe('ephemeral');
    expect(unknown!.body.text).toContain(
      'No topic matches "the weather". Topics: territory (Territory and front lines)',
    );
    expect(unknown!.body.text).toContain('nato (NATO and neutrality)');
    const [timeline] = await waitForResponse(h.fake, await h.command('timeline weather'));
    expect(timeline!.body.text).toContain('No topic matches "weather"');
    const [badDate] = await waitForResponse(h.fake, await h.command('timeline nato since 2025-02-30'));
    expect(badDate!.body.text).toContain('is not a real date');
    const [noDate] = await waitForResponse(h.fake, await h.command('timeline since whenever'));
    expect(noDate!.body.text).toContain('Could not read a date from "since whenever"');
    const [noTopic] = await waitForResponse(h.fake, await h.command('compare'));
    expect(noTopic!.body.text).toContain('Say which topic to compare');
    expect(h.stores.audit.records).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers a mention asking for a comparison in its thread, as a comparison', async () => {
    const h = await startHarness(mode);
    await h.event(mention('Ev20', '1700002000.002000', 'compare the proposals on NATO'));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700002000.002000' });
    const json = messageJson(post!);
    expect(json).toContain('*Question:* compare the proposals on NATO');
    expect(json).toContain('*How the proposals compare on NATO and neutrality (oldest first)*');
    expect(json.indexOf('*Russia, 2025-06-02: The Istanbul memorandum*')).toBeLessThan(
      json.indexOf('*United States, 2025-11-20: The 28-point draft*'),
    );
    expect(json).toContain('Silent on this: Grain corridor');
    expect(String(post!.body.text)).toContain('How the proposals compare on NATO');
  });

  it('stores one vote per user per answer, and a changed vote replaces the first', async () => {
    const h = await startHarness(mode);
    const [reply] = await waitForResponse(h.fake, await h.command('Where would the front line be frozen?'));
    const up = buttonValue(reply!, ACTIONS.voteUp);
    const [first] = await waitForResponse(h.fake, await h.click(ACTIONS.voteUp, up, 'U1', 'C1'));
    expect(first!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(first!.body.text).toContain('👍 1 · 👎 0');
    const [changed] = await waitForResponse(h.fake, await h.click(ACTIONS.voteDown, up, 'U1', 'C1'));
    expect(changed!.body.text).toContain('👍 0 · 👎 1');
    const [other] = await waitForResponse(h.fake, await h.click(ACTIONS.voteUp, up, 'U2', 'C1'));
    expect(other!.body.text).toContain('👍 1 · 👎 1');
  });

  it('answers a redelivered event once', async () => {
    const h = await startHarness(mode);
    const body = mention('Ev4', '1700000400.000400', 'Where would the front line be frozen?');
    await h.event(body);
    await h.fake.waitForCalls('chat.postMessage');
    await h.event(body, 1);
    await h.event(body, 2);
    for (let i = 0; i < 500 && h.claims.filter((k) => k === 'slack:event:Ev4').length < 3; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(h.claims.filter((k) => k === 'slack:event:Ev4')).toHaveLength(3);
    // Another answered message afterwards shows the handlers have run.
    await h.event(dm('Ev5', '1700000500.000500', 'Where would the front line be frozen?'));
    await h.fake.waitForCalls('chat.postMessage', 2);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C1')).toHaveLength(1);
  });

  it('escapes article and user text so nothing pings anyone', async () => {
    const h = await startHarness(mode);
    await h.event(mention('Ev6', '1700000600.000600', 'What did the grain corridor invitation say <!here>?'));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    const json = messageJson(post!);
    expect(json).toContain('Grain corridor &lt;!channel&gt; talks — Wire &lt;!here&gt; &amp; Co');
    expect(json).toContain('&lt;@U999&gt; &amp; &lt;b&gt;everyone&lt;/b&gt;');
    for (const ping of ['<!channel>', '<!here>', '<@U999>', '<b>']) expect(json).not.toContain(ping);
    // Mentions are removed from the question before it is answered (and audited).
    expect(h.stores.audit.records[0]!.question).toBe('What did the grain corridor invitation say?');
  });

  it('ignores its own messages and other bots', async () => {
    const h = await startHarness(mode);
    await h.event(
      dm('Ev7', '1700000700.000700', 'Where is the front line?', {
        user: FAKE.botUserId,
        bot_id: FAKE.botId,
      }),
    );
    await h.event(
      dm('Ev8', '1700000800.000800', 'Where is the front line?', {
        bot_id: 'B0OTHER',
        subtype: 'bot_message',
      }),
    );
    await h.event(dm('Ev9', '1700000900.000900', 'Where is the front line?', { subtype: 'message_changed' }));
    await h.event(dm('Ev10', '1700001000.001000', 'Where would the front line be frozen?'));
    await h.fake.waitForCalls('chat.postMessage');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.stores.audit.records).toHaveLength(1);
  });

  it('answers other bots when configured to', async () => {
    const h = await startHarness(mode, { answerBots: true });
    await h.event(
      dm('Ev11', '1700001100.001100', 'Where would the front line be frozen?', {
        bot_id: 'B0OTHER',
        subtype: 'bot_message',
        user: undefined,
      }),
    );
    await h.fake.waitForCalls('chat.postMessage');
  });

  it('turns a handler error into a short apology and a log line', async () => {
    const h = await startHarness(mode);
    await h.event(mention('Ev12', '1700001200.001200', 'please explode'));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700001200.001200', text: APOLOGY });
    expect(h.logs.some((line) => line.includes('handler failed') && line.includes('engine exploded'))).toBe(
      true,
    );
    const [reply] = await waitForResponse(h.fake, await h.command('explode again'));
    expect(reply!.body.text).toBe(APOLOGY);
    // The app keeps answering.
    await h.event(mention('Ev13', '1700001300.001300', 'Where would the front line be frozen?'));
    await h.fake.waitForCalls('chat.postMessage', 2);
  });

  it('tells the user what is wrong with a question the engine rejects', async () => {
    const h = await startHarness(mode);
    await h.event(mention('Ev14', '1700001400.001400', ''));
    const [post] = await h.fake.waitForCalls('chat.postMessage');
    expect(post!.body.text).toContain('Ask a question');
  });

  it('waits out a 429 Retry-After and retries the post', async () => {
    const h = await startHarness(mode);
    h.fake.replyOnce('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { ok: false, error: 'ratelimited' },
    });
    await h.event(mention('Ev15', '1700001500.001500', 'Where would the front line be frozen?'));
    const posts = await h.fake.waitForCalls('chat.postMessage', 2);
    expect(posts[1]!.body.thread_ts).toBe('1700001500.001500');
    expect(h.logs.some((line) => line.includes('handler failed'))).toBe(false);
  });

  it('posts a digest to a channel', async () => {
    const h = await startHarness(mode);
    const digest: Digest = {
      platform: 'slack',
      channelId: 'C_DIGEST',
      since: '2026-01-01T08:00:00Z',
      until: '2026-01-02T08:00:00Z',
      entries: [
        {
          status: 'new',
          docId: 'hostile',
          title: 'Grain corridor <!channel> talks',
          source: 'Wire',
          published: '2026-01-01',
          url: 'https://example.com/grain',
          sentences: [{ snippet: 'The invitation went to <@U999> & everyone.', sentence: 0 }],
        },
      ],
      topQuestions: [{ question: 'Where is the front line?', count: 3 }],
      asOf: '2026-01-01',
    };
    const { messageId } = await h.service.publisher.publish('C_DIGEST', digest);
    const [post] = h.fake.callsTo('chat.postMessage');
    expect(post!.body.channel).toBe('C_DIGEST');
    expect(messageId).toMatch(/^\d+\.\d+$/);
    const json = messageJson(post!);
    expect(json).toContain('<https://example.com/grain|Grain corridor &lt;!channel&gt; talks>');
    expect(json).toContain('“The invitation went to &lt;@U999&gt; &amp; everyone.”');
    expect(json).toContain('Where is the front line? (3×)');
    expect(json).not.toContain('<!channel>');

    h.fake.replyOnce('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    await expect(h.service.publisher.publish('G_PRIVATE', digest)).rejects.toThrow(
      'Slack: could not post the digest to G_PRIVATE (not_in_channel): invite the bot',
    );
  });
});

describe('Slack adapter (HTTP mode only)', () => {
  it('rejects bad signatures and stale timestamps', async () => {
    const h = await startHarness('http');
    const raw = JSON.stringify(mention('Ev20', '1700002000.002000', 'Where would the front line be frozen?'));
    const url = `http://127.0.0.1:${h.service.address()!.port}/slack/events`;
    const send = (headers: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
    const forged = await send(signSlackRequest('wrong-secret', raw));
    expect(forged.status).toBe(401);
    const stale = await send(signSlackRequest(SECRET, raw, Math.floor(Date.now() / 1000) - 10 * 60));
    expect(stale.status).toBe(401);
    const unsigned = await send({});
    expect(unsigned.status).toBe(401);
    // The same body, properly signed, is answered: the rejections were about the signature.
    await h.event(JSON.parse(raw));
    await h.fake.waitForCalls('chat.postMessage');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('listens on the configured address (127.0.0.1), not on every interface', async () => {
    const h = await startHarness('http');
    expect(h.service.address()?.address).toBe('127.0.0.1');
  });

  it('refuses correctly signed requests dated more than five minutes in the future', async () => {
    const h = await startHarness('http');
    const raw = JSON.stringify(mention('Ev23', '1700002300.002300', 'Where would the front line be frozen?'));
    const url = `http://127.0.0.1:${h.service.address()!.port}/slack/events`;
    const now = Math.floor(Date.now() / 1000);
    for (const ahead of [6 * 60, 30 * 60, 24 * 3600]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw, now + ahead) },
        body: raw,
      });
      expect({ ahead, status: response.status }).toEqual({ ahead, status: 401 });
    }
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    // Four minutes ahead (clocks drift) is still fine.
    const near = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw, now + 4 * 60) },
      body: raw,
    });
    expect(near.status).toBe(200);
    await h.fake.waitForCalls('chat.postMessage');
  });

  it('names SLACK_PORT when the port is in use', async () => {
    const h = await startHarness('http');
    const taken = h.service.address()!.port;
    const second = createSlackService({
      config: { ...h.config, port: taken },
      engine: testEngine(),
      ...h.stores,
      logger: createLogger('silent'),
      clock: createManualClock('2026-01-01T10:00:00Z'),
    });
    await expect(second.start()).rejects.toMatchObject({
      code: 'port_in_use',
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${taken}.*already in use.*SLACK_PORT`)),
    });
  });

  it('says it cannot reach Slack at SLACK_API_URL when nothing answers there', async () => {
    const h = await startHarness('http');
    const nobody = createServer();
    await new Promise<void>((resolve) => nobody.listen(0, '127.0.0.1', resolve));
    const { port } = nobody.address() as AddressInfo;
    await new Promise((resolve) => nobody.close(resolve));
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    const service = createSlackService({
      config: { ...h.config, apiUrl },
      clientOptions: { retryConfig: { retries: 0 } },
      engine: testEngine(),
      ...h.stores,
      logger: createLogger('silent'),
      clock: createManualClock('2026-01-01T10:00:00Z'),
    });
    const error = await service.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'service_unreachable' });
    expect((error as Error).message).toContain(`Cannot reach Slack at SLACK_API_URL=${apiUrl}`);
    expect((error as Error).message).toMatch(/Check the network and the token \(SLACK_BOT_TOKEN\)\.$/);
  });

  it("answers Slack's URL verification challenge", async () => {
    const h = await startHarness('http');
    const raw = JSON.stringify({ token: 't', challenge: 'challenge-123', type: 'url_verification' });
    const response = await fetch(`http://127.0.0.1:${h.service.address()!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw) },
      body: raw,
    });
    expect(await response.text()).toContain('challenge-123');
  });

  it('lets an answer being written finish before stopping', async () => {
    const h = await startHarness('http');
    const release = h.fake.hold('chat.postMessage');
    await h.event(mention('Ev22', '1700002200.002200', 'Where would the front line be frozen?'));
    await h.fake.waitForCalls('chat.postMessage');
    let stopped = false;
    const stopping = h.service.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('acks an event before the answer is posted', async () => {
    const h = await startHarness('http');
    const release = h.fake.hold('chat.postMessage');
    await h.event(mention('Ev21', '1700002100.002100', 'Where would the front line be frozen?'));
    // The event's HTTP response came back while chat.postMessage is still held.
    expect(h.fake.callsTo('chat.postMessage').length).toBeLessThanOrEqual(1);
    release();
    await h.fake.waitForCalls('chat.postMessage');
  });
});

describe('Slack adapter (Socket Mode only)', () => {
  it('reconnects after the connection drops, even when the first reconnect fails', async () => {
    const h = await startHarness('socket');
    h.fake.replyOnce('apps.connections.open', { body: { ok: false, error: 'internal_error' } });
    h.fake.dropConnections();
    await h.fake.connected(2);
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(3);
    expect(h.logs.some((line) => line.includes('reconnect failed'))).toBe(true);
    await h.event(mention('Ev30', '1700003000.003000', 'Where would the front line be frozen?'));
    await h.fake.waitForCalls('chat.postMessage');
  });
});

describe('Slack adapter: /peacedesk add (editors add articles from links)', () => {
  it('adds a page for an editor (by user id or user group) and says no, privately, to others', async () => {
    const corpus = await tempFolder({});
    const site = await startSite({
      '/world/geneva': {
        body: articlePage({
          headline: 'Geneva talks produce a shorter US peace framework',
          outlet: 'Test Wire',
          published: '2025-11-23T18:00:00Z',
          paragraphs: GENEVA_STORY,
        }),
      },
    });
    open.push({ stop: () => site.close() }, { stop: corpus.cleanup });
    const engine = createEngine([]);
    const links = createLinkAdder({
      corpusDir: corpus.dir,
      engine,
      live: createMemoryLiveCorpusStore(),
      fetcher: createSafeFetcher({ allowHosts: ['127.0.0.1'], timeoutMs: 2000, maxBytes: 1_000_000 }),
      logger: createLogger('error'),
    });
    const h = await startHarness('http', {}, { links, editorIds: ['U1', 'S0EDITORS'] });
    const url = `${site.origin}/world/geneva`;

    const [added] = await waitForResponse(h.fake, await h.command(`add <${url}>`, 'U1'));
    expect(added!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(messageJson(added!)).toContain(
      'Added 2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework: “Geneva talks produce a shorter US peace framework” — Test Wire, 2025-11-23, 10 sentences.',
    );
    expect(await readdir(corpus.dir)).toEqual([
      '2025-11-23-geneva-talks-produce-a-shorter-us-peace-framework.md',
    ]);

    h.fake.replyOnce('usergroups.users.list', { body: { ok: true, users: ['U3'] } });
    const [member] = await waitForResponse(h.fake, await h.command(`add ${url}`, 'U3'));
    expect(messageJson(member!)).toContain('is already in the corpus as it is; nothing written');
    expect(h.fake.callsTo('usergroups.users.list')[0]!.body).toMatchObject({ usergroup: 'S0EDITORS' });

    h.fake.replyOnce('usergroups.users.list', { body: { ok: true, users: ['U3'] } });
    const [refused] = await waitForResponse(h.fake, await h.command(`add ${url}`, 'U2'));
    expect(refused!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(messageJson(refused!)).toContain(NOT_AN_EDITOR_MESSAGE);

    const [usage] = await waitForResponse(h.fake, await h.command('add', 'U1'));
    expect(messageJson(usage!)).toContain('Give the article');
    const [blocked] = await waitForResponse(h.fake, await h.command('add http://10.0.0.1/x', 'U1'));
    expect(messageJson(blocked!)).toContain('10.0.0.1 is a private address');
  });
});
