import { discordAdapter } from '../../../adapters/discord/index.ts';
import { ACTIONS } from '../../../adapters/slack/blocks.ts';
import { slackAdapter } from '../../../adapters/slack/index.ts';
import { FIND_SOURCES_CALLBACK } from '../../../adapters/slack/sources-blocks.ts';
import { terminalAdapter } from '../../../adapters/terminal/index.ts';
import type { Adapter } from '../../../src/adapter.ts';
import {
  type FakeDiscord,
  interactionPayload,
  messagePayload,
  nextSnowflake,
  startFakeDiscord,
} from '../discord/fake-discord.ts';
import { type Body, fixtureConfig } from '../discord/fixtures.ts';
import { slackConfig } from '../slack/config.ts';
import {
  eventCallback,
  FAKE,
  type FakeSlack,
  signSlackRequest,
  startFakeSlack,
} from '../slack/fake-slack.ts';
import { allText, type ContractWorld, eventually } from './context.ts';

/** What a person sees of one reply, and the platform body it came in. */
export interface Reply {
  text: string;
  body: unknown;
}

/**
 * One adapter under the contract, driven through its fake with its real client: each method does
 * what a person would (ask, click, reply in a thread) and returns what the platform received.
 */
export interface ContractDriver {
  readonly name: string;
  /** The actions this platform offers under an answer. */
  readonly offers: { votes: boolean; share: boolean };
  /** A channel id in this platform's form, for the digest. */
  readonly channelId: string;
  /** Create the adapter from the registry's definition and start it. */
  start(world: ContractWorld): Promise<Adapter>;
  stop(): Promise<void>;
  ask(question: string, user?: string): Promise<Reply>;
  compare(topic: string): Promise<Reply>;
  timeline(topic: string): Promise<Reply>;
  /** Ask `first` where a conversation opens (a thread, the chat), then `next` in it without a mention. */
  converse(first: string, next: string): Promise<[Reply, Reply]>;
  findSources(text: string): Promise<Reply>;
  /** Press 👍 under `reply` (an answer from {@link ContractDriver.ask}). */
  voteUp(reply: Reply, user: string): Promise<Reply>;
  /** Press Share under `reply`; what was posted in the channel. */
  share(reply: Reply, user: string): Promise<Reply>;
  /** What arrived in `channelId` after the adapter's publisher posted a digest there. */
  posted(channelId: string): Promise<Reply>;
  /** Anything in `reply` that would notify someone (a live mention, a terminal bell). */
  pings(reply: Reply): string[];
}

const SECRET = 'contract-secret';

/** Slack over HTTP: the real Bolt App against the fake Web API. */
export function slackDriver(): ContractDriver {
  let fake: FakeSlack;
  let adapter: Adapter;
  let n = 0;
  const post = async (raw: string, contentType: string) => {
    const response = await fetch(adapter.endpoint!()!, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlackRequest(SECRET, raw) },
      body: raw,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`Slack endpoint answered ${response.status}`);
  };
  const interactive = (payload: Record<string, unknown>) =>
    post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  const responded = async (id: string): Promise<Reply> => {
    const call = await eventually(`a response to ${id}`, () =>
      fake.calls.find((c) => c.path === `/respond/${id}`),
    );
    return { text: allText(call.body), body: call.body };
  };
  const postedMessage = async (count: number): Promise<Reply> => {
    const call = await eventually(
      `chat.postMessage #${count}`,
      () => fake.callsTo('chat.postMessage')[count - 1],
    );
    return { text: allText(call.body), body: call.body };
  };
  const command = async (text: string, user = 'U1') => {
    const id = `cmd${++n}`;
    const fields = {
      token: 'verification-token',
      team_id: FAKE.team,
      team_domain: 'fake',
      channel_id: 'C1',
      channel_name: 'newsroom',
      user_id: user,
      user_name: 'reporter',
      command: '/peacedesk',
      text,
      api_app_id: FAKE.appId,
      response_url: fake.responseUrl(id),
      trigger_id: `trigger-${id}`,
    };
    await post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
    return responded(id);
  };
  const click = async (reply: Reply, actionId: string, user: string) => {
    const blocks = (
      reply.body as { blocks: Array<{ elements?: Array<{ action_id?: string; value?: string }> }> }
    ).blocks;
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
    if (!button) throw new Error(`no ${actionId} button`);
    const id = `act${++n}`;
    await interactive({
      type: 'block_actions',
      team: { id: FAKE.team, domain: 'fake' },
      user: { id: user, username: user, team_id: FAKE.team },
      api_app_id: FAKE.appId,
      token: 'verification-token',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1', is_ephemeral: true },
      trigger_id: `trigger-${id}`,
      channel: { id: 'C1', name: 'newsroom' },
      response_url: fake.responseUrl(id),
      actions: [
        {
          action_id: actionId,
          block_id: 'peacedesk_feedback',
          value: button.value,
          type: 'button',
          action_ts: '1700000001.000200',
          text: { type: 'plain_text', text: 'button' },
        },
      ],
    });
    return id;
  };
  const deliver = (event: Record<string, unknown>) =>
    post(JSON.stringify(eventCallback(`Ev${++n}`, event)), 'application/json');
  return {
    name: 'slack',
    offers: { votes: true, share: true },
    channelId: 'C0DIGEST',
    async start(world) {
      fake = await startFakeSlack();
      adapter = await slackAdapter.create(
        slackConfig({ signingSecret: SECRET, apiUrl: fake.apiUrl, asksPerMinute: 3 }),
        world.context,
      );
      await adapter.start();
      return adapter;
    },
    async stop() {
      await adapter?.stop();
      await fake?.close();
    },
    ask: (question, user) => command(question, user),
    compare: (topic) => command(`compare ${topic}`),
    timeline: (topic) => command(`timeline ${topic}`),
    async converse(first, next) {
      await deliver({
        type: 'app_mention',
        user: 'U1',
        text: `<@${FAKE.botUserId}> ${first}`,
        ts: '1700000001.000100',
        channel: 'C1',
      });
      const opened = await postedMessage(1);
      await deliver({
        type: 'message',
        channel_type: 'channel',
        user: 'U2',
        text: next,
        ts: '1700000002.000100',
        thread_ts: '1700000001.000100',
        channel: 'C1',
      });
      return [opened, await postedMessage(2)];
    },
    async findSources(text) {
      await interactive({
        type: 'message_action',
        callback_id: FIND_SOURCES_CALLBACK,
        trigger_id: 'trig-sources',
        team: { id: FAKE.team, domain: 'fake' },
        user: { id: 'U1', username: 'reporter', team_id: FAKE.team },
        channel: { id: 'C1', name: 'newsroom' },
        message_ts: '1700000020.000100',
        message: { type: 'message', user: 'U3', ts: '1700000020.000100', text },
        response_url: fake.responseUrl('sources'),
        token: 'verification-token',
        action_ts: '1700000021.000100',
      });
      return responded('sources');
    },
    async voteUp(reply, user) {
      return responded(await click(reply, ACTIONS.voteUp, user));
    },
    async share(reply, user) {
      await click(reply, ACTIONS.share, user);
      return postedMessage(1);
    },
    async posted(channelId) {
      const call = await eventually('the digest post', () =>
        fake.callsTo('chat.postMessage').find((c) => c.body.channel === channelId),
      );
      return { text: allText(call.body), body: call.body };
    },
    // A live Slack mention is <@U…>, <!channel>, <!here>, <#C…> (escaped ones read &lt;…&gt;).
    pings: (reply) => JSON.stringify(reply.body).match(/<[@!#][^>]*>/g) ?? [],
  };
}

/** Discord over the gateway: the real discord.js Client against the fake gateway and REST API. */
export function discordDriver(): ContractDriver {
  let fake: FakeDiscord;
  let adapter: Adapter;
  let threads: () => ContractWorld['context']['stores']['threads'];
  const threadId = '1250000000000000001';
  /** Dispatch an interaction; its reply is the callback, or the edit of @original after a deferral. */
  const interact = async (
    payload: Record<string, unknown> & { id: string; token: string },
  ): Promise<Reply> => {
    fake.dispatch('INTERACTION_CREATE', payload);
    const callback = await fake.waitForRequest(
      (r) => r.path === `/api/v10/interactions/${payload.id}/${payload.token}/callback`,
    );
    const body = callback.body as Body;
    if (body.type !== 5) return { text: allText(body.data), body: body.data };
    const edit = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
    return { text: allText(edit.body), body: edit.body };
  };
  const slash = (
    name: string,
    options: Array<{ name: string; type: number; value: string | boolean }>,
    user?: string,
  ) => interact(interactionPayload(fake, { type: 2, name, options }, user ? { userId: user } : {}));
  const postsTo = (channelId: string) =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`);
  // Press the button under `reply` whose custom id starts with `prefix`.
  const press = (reply: Reply, prefix: string, user: string) => {
    const rows = ((reply.body as Body).components ?? []) as Body[];
    const customId = rows
      .flatMap((row) => row.components as Body[])
      .map((b) => b.custom_id as string)
      .find((id) => id.startsWith(prefix));
    if (!customId) throw new Error(`no ${prefix} button`);
    return interact(interactionPayload(fake, { type: 3, customId }, { userId: user }));
  };
  const message = (channelId: string, content: string) =>
    messagePayload(channelId, content, {
      guildId: '1100000000000000001',
      author: { id: '1000000000000000002' },
    });
  return {
    name: 'discord',
    // Discord answers carry 👍/👎, and a private answer in a server channel "Share in channel".
    offers: { votes: true, share: true },
    channelId: '1200000000000000042',
    async start(world) {
      threads = () => world.context.stores.threads;
      fake = await startFakeDiscord();
      adapter = await discordAdapter.create({ ...fixtureConfig(fake), asksPerMinute: 3 }, world.context);
      await adapter.start();
      return adapter;
    },
    async stop() {
      await adapter?.stop();
      await fake?.close();
    },
    ask: (question, user) => slash('ask', [{ name: 'question', type: 3, value: question }], user),
    compare: (topic) => slash('compare', [{ name: 'topic', type: 3, value: topic }]),
    timeline: (topic) => slash('timeline', [{ name: 'topic', type: 3, value: topic }]),
    async converse(first, next) {
      fake.overrides.push({
        method: 'POST',
        path: /\/threads$/,
        status: 201,
        body: { id: threadId, type: 11, parent_id: '1200000000000000001', name: 'thread' },
      });
      const opened = await slash('ask', [
        { name: 'question', type: 3, value: first },
        { name: 'public', type: 5, value: true },
      ]);
      await fake.waitForRequest((r) => r.method === 'POST' && /\/messages\/\d+\/threads$/.test(r.path));
      // The thread is saved once it is opened; a reply before that would not be recognised yet.
      for (let i = 0; i < 200 && !(await threads().get('discord', threadId)); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      fake.dispatch('MESSAGE_CREATE', message(threadId, next));
      const posted = await eventually('the follow-up in the thread', () => postsTo(threadId)[0]);
      return [opened, { text: allText(posted.body), body: posted.body }];
    },
    async findSources(text) {
      const base = interactionPayload(fake, { type: 2, name: 'Find sources for this' });
      const targetId = nextSnowflake();
      return interact({
        ...base,
        data: {
          id: '1400000000000000009',
          name: 'Find sources for this',
          type: 3,
          target_id: targetId,
          resolved: { messages: { [targetId]: { ...message('1200000000000000001', text), id: targetId } } },
        },
      });
    },
    voteUp: (reply, user) => press(reply, 'vote:up:', user),
    share: (reply, user) => press(reply, 'answer-share:', user),
    async posted(channelId) {
      const call = await eventually('the digest post', () => postsTo(channelId)[0]);
      return { text: allText(call.body), body: call.body };
    },
    // Discord pings only what allowed_mentions lets through; every reply must allow nothing.
    pings(reply) {
      const allowed = (reply.body as Body).allowed_mentions as Body | undefined;
      return allowed && Array.isArray(allowed.parse) && allowed.parse.length === 0 && !allowed.users?.length
        ? []
        : [`allowed_mentions: ${JSON.stringify(allowed)}`];
    },
  };
}

/** The terminal chat on piped streams, as `npm start` runs it without tokens. */
export function terminalDriver(): ContractDriver {
  let adapter: Adapter;
  let world: ContractWorld;
  const PROMPT = 'peacedesk> ';
  /** Type a line; the reply is what is printed before the next prompt. */
  const line = async (text: string): Promise<Reply> => {
    const from = world.stdio.printed().length;
    world.stdio.input.write(`${text}\n`);
    const printed = await eventually(`the reply to "${text}"`, () => {
      const after = world.stdio.printed().slice(from);
      return after.includes(PROMPT) ? after : undefined;
    });
    const reply = printed.slice(0, printed.indexOf(PROMPT)).trim();
    return { text: reply, body: reply };
  };
  return {
    name: 'terminal',
    offers: { votes: false, share: false },
    channelId: 'terminal',
    async start(w) {
      world = w;
      adapter = await terminalAdapter.create({ asksPerMinute: 3 }, w.context);
      await adapter.start();
      await eventually('the first prompt', () => (w.stdio.printed().includes(PROMPT) ? true : undefined));
      return adapter;
    },
    async stop() {
      await adapter?.stop();
    },
    ask: (question) => line(question),
    compare: (topic) => line(`/compare ${topic}`),
    timeline: (topic) => line(`/timeline ${topic}`),
    async converse(first, next) {
      return [await line(first), await line(next)];
    },
    findSources: (text) => line(`/sources-for ${text}`),
    voteUp: () => Promise.reject(new Error('the terminal chat has no votes')),
    share: () => Promise.reject(new Error('the terminal chat has no channel to share in')),
    async posted(channelId) {
      const text = await eventually('the digest printed', () => {
        const printed = world.stdio.printed();
        return printed.includes(`digest for channel ${channelId}`) ? printed : undefined;
      });
      return { text, body: text };
    },
    // A terminal "ping" is the bell; any control character or escape could also act on the screen.
    pings: (reply) =>
      [...allText(reply.body)].filter((c) => {
        const code = c.charCodeAt(0);
        return (code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f;
      }),
  };
}
