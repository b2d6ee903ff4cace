import { afterEach, describe, expect, it } from 'vitest';
import { createSlackService, type SlackService } from '../../../adapters/slack/create-slack-service.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import type { Digest } from '../../../src/digest/types.ts';
import { createLogger } from '../../../src/logger.ts';
import { makeDocument } from '../../helpers.ts';
import { backends, type TestStores } from '../../store/backends.ts';
import { slackConfig } from './config.ts';
import { type FakeSlack, signSlackRequest, startFakeSlack } from './fake-slack.ts';

const SECRET = 'oauth-signing-secret';
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

const teams = {
  T1: { token: 'xoxb-team-one', botUser: 'U0BOT1' },
  T2: { token: 'xoxb-team-two', botUser: 'U0BOT2' },
} as const;

async function start(
  backendIndex: number,
): Promise<{ fake: FakeSlack; service: SlackService; stores: TestStores; base: string }> {
  const backend = backends()[backendIndex]!;
  const fake = await startFakeSlack();
  open.push(() => fake.close());
  const db = await backend.create();
  open.push(() => db.drop());
  const stores = await db.open({ salt: 'salt' });
  const clock = createManualClock('2026-01-01T10:00:00Z');
  const service = createSlackService({
    config: slackConfig({
      botToken: '',
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      oauth: {
        clientId: '1111.2222',
        clientSecret: 'client-secret',
        stateSecret: 'a-state-secret-of-some-length',
        redirectUri: undefined,
      },
    }),
    engine: createEngine([makeDocument('plan', 'The draft plan would freeze the front line in Kherson.')]),
    feedback: stores.feedback,
    audit: stores.audit,
    ledger: stores.ledger,
    installations: stores.installations,
    logger: createLogger('silent'),
    clock,
  });
  await service.start();
  let stopped = false;
  open.push(async () => {
    if (!stopped) await service.stop();
    stopped = true;
  });
  return { fake, service, stores, base: `http://127.0.0.1:${service.address()!.port}` };
}

/** Install the app in `team` as a browser would: the "Add to Slack" page, then Slack's redirect back. */
async function install(fake: FakeSlack, base: string, team: keyof typeof teams, state?: string) {
  const page = await fetch(`${base}/slack/install`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const link = new URL(
    html.match(/href="(https:\/\/slack\.com\/oauth\/v2\/authorize\?[^"]+)"/)![1]!.replaceAll('&amp;', '&'),
  );
  expect(link.searchParams.get('client_id')).toBe('1111.2222');
  expect(link.searchParams.get('scope')).toContain('app_mentions:read');
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  fake.replyOnce('oauth.v2.access', {
    body: {
      ok: true,
      app_id: 'A0APP',
      authed_user: { id: 'U0ADMIN' },
      scope: 'app_mentions:read,chat:write,chat:write.public,commands,im:history',
      token_type: 'bot',
      access_token: teams[team].token,
      bot_user_id: teams[team].botUser,
      team: { id: team, name: `Newsroom ${team}` },
      enterprise: null,
      is_enterprise_install: false,
    },
  });
  const callback = await fetch(
    `${base}/slack/oauth_redirect?code=code-${team}&state=${encodeURIComponent(state ?? link.searchParams.get('state')!)}`,
    { headers: { cookie } },
  );
  await callback.text();
  return callback.status;
}

async function deliver(base: string, body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const response = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw) },
    body: raw,
  });
  await response.text();
  return response.status;
}

const event = (team: keyof typeof teams | 'T9', id: string, inner: Record<string, unknown>) => ({
  token: 'verification-token',
  team_id: team,
  api_app_id: 'A0APP',
  type: 'event_callback',
  event_id: id,
  event_time: 1_700_000_000,
  event: inner,
  authorizations: [{ team_id: team, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
});

const mention = (team: keyof typeof teams | 'T9', id: string, ts: string) =>
  event(team, id, {
    type: 'app_mention',
    user: 'U1',
    text: `<@${team === 'T9' ? 'U0' : teams[team].botUser}> what about Kherson?`,
    ts,
    event_ts: ts,
    channel: 'C1',
  });

describe.each(backends().map((b, i) => [b.name, i] as const))('Slack OAuth installs (%s)', (_name, index) => {
  it('installs in two workspaces and answers each with its own token, until uninstalled', async () => {
    const { fake, service, stores, base } = await start(index);
    expect(await install(fake, base, 'T1')).toBe(200);
    expect(await install(fake, base, 'T2')).toBe(200);
    expect(fake.callsTo('oauth.v2.access').map((c) => c.body.code)).toEqual(['code-T1', 'code-T2']);
    expect((await stores.installations.list('slack')).map((i) => i.workspaceId)).toEqual(['T1', 'T2']);

    expect(await deliver(base, mention('T1', 'Ev1', '1700000001.000100'))).toBe(200);
    expect(await deliver(base, mention('T2', 'Ev2', '1700000002.000100'))).toBe(200);
    const answers = await fake.waitForCalls('chat.postMessage', 2);
    const byToken = Object.fromEntries(
      answers.map((c) => [String(c.headers.authorization), c.body.thread_ts]),
    );
    expect(byToken).toEqual({
      'Bearer xoxb-team-one': '1700000001.000100',
      'Bearer xoxb-team-two': '1700000002.000100',
    });
    // The mention of that workspace's bot user was taken out of the question.
    expect(answers.every((c) => JSON.stringify(c.body.blocks).includes('Kherson'))).toBe(true);

    // A digest for a TEAM:CHANNEL goes out with that workspace's token.
    const digest: Digest = {
      platform: 'slack',
      channelId: 'T2:C9',
      since: null,
      until: '2026-01-01T08:00:00.000Z',
      entries: [],
      topQuestions: [],
      asOf: null,
    };
    await service.publisher.publish('T2:C9', digest);
    const post = fake.callsTo('chat.postMessage').at(-1)!;
    expect([post.headers.authorization, post.body.channel]).toEqual(['Bearer xoxb-team-two', 'C9']);
    await expect(service.publisher.publish('C9', digest)).rejects.toThrow(/TEAM:CHANNEL/);
    await expect(service.publisher.publish('T9:C9', digest)).rejects.toThrow(/not installed in workspace T9/);

    // Uninstalled from T1, token revoked in T2: both forgotten, and no longer answered.
    expect(
      await deliver(base, event('T1', 'Ev3', { type: 'app_uninstalled', event_ts: '1700000003.0' })),
    ).toBe(200);
    expect(
      await deliver(
        base,
        event('T2', 'Ev4', { type: 'tokens_revoked', tokens: { bot: ['U0BOT2'] }, event_ts: '1700000004.0' }),
      ),
    ).toBe(200);
    for (let i = 0; i < 200 && (await stores.installations.list('slack')).length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await stores.installations.list('slack')).toEqual([]);
    await deliver(base, mention('T1', 'Ev5', '1700000005.000100'));
    await service.stop();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('refuses an OAuth callback whose state was not issued here', async () => {
    const { fake, stores, base } = await start(index);
    expect(await install(fake, base, 'T1', 'forged-state')).not.toBe(200);
    expect(fake.callsTo('oauth.v2.access')).toEqual([]);
    expect(await stores.installations.list('slack')).toEqual([]);
  });
});
