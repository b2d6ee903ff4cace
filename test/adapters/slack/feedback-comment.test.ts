import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../adapters/slack/blocks.ts';
import { createSlackService } from '../../../adapters/slack/create-slack-service.ts';
import { COMMENT_ACTION, COMMENT_VIEW } from '../../../adapters/slack/handlers/feedback-comment.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createCoverage } from '../../../src/coverage/coverage.ts';
import { silentLogger } from '../../../src/logger.ts';
import { openSqliteStores } from '../../../src/store/sqlite-store.ts';
import { shippedCorpus } from '../../helpers.ts';
import { slackConfig } from './config.ts';
import { eventCallback, FAKE, signSlackRequest, startFakeSlack } from './fake-slack.ts';

const SECRET = 'comment-signing-secret';
const open: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of open.splice(0).reverse()) await stop();
});

interface Button {
  action_id: string;
  value: string;
}
const buttonsOf = (blocks: unknown): Button[] =>
  (blocks as Array<{ type: string; elements?: Button[] }>).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('gave up waiting');
}

// The real Bolt App (HTTP mode) against the fake: 👎, "Add a comment", the modal, its submission.
describe('Slack: a comment after 👎', () => {
  it('opens a modal from the thanks and keeps the comment with the vote, for the feedback report', async () => {
    const fake = await startFakeSlack();
    open.push(() => fake.close());
    const clock = createManualClock('2026-02-01T10:00:00Z');
    const stores = openSqliteStores(':memory:', { salt: 'comment', clock });
    open.push(() => stores.close());
    const engine = createEngine(await shippedCorpus());
    const service = createSlackService({
      config: slackConfig({ signingSecret: SECRET, apiUrl: fake.apiUrl }),
      engine,
      ...stores,
      logger: silentLogger,
      clock,
    });
    await service.start();
    open.push(() => service.stop());
    const post = async (raw: string, type: string) => {
      const response = await fetch(`http://127.0.0.1:${service.address()!.port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': type, ...signSlackRequest(SECRET, raw) },
        body: raw,
      });
      expect(response.status).toBe(200);
      await response.text();
    };
    const interactive = (payload: Record<string, unknown>) =>
      post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    const click = (button: Button, n: number) =>
      interactive({
        type: 'block_actions',
        team: { id: FAKE.team, domain: 'fake' },
        user: { id: 'U0REPORTER', username: 'reporter', team_id: FAKE.team },
        api_app_id: FAKE.appId,
        token: 'verification-token',
        container: {
          type: 'message',
          message_ts: '1700000000.000100',
          channel_id: 'D0REPORTER',
          is_ephemeral: false,
        },
        trigger_id: `trigger-${n}`,
        channel: { id: 'D0REPORTER', name: 'directmessage' },
        response_url: fake.responseUrl(`click${n}`),
        actions: [
          {
            ...button,
            block_id: 'b',
            type: 'button',
            action_ts: '1700000001.000200',
            text: { type: 'plain_text', text: 'x' },
          },
        ],
      });

    await post(
      JSON.stringify(
        eventCallback('Ev1', {
          type: 'message',
          channel_type: 'im',
          channel: 'D0REPORTER',
          user: 'U0REPORTER',
          text: 'What does the US draft say about NATO?',
          ts: '1700000000.000100',
        }),
      ),
      'application/json',
    );
    const [answer] = await fake.waitForCalls('chat.postMessage', 1);
    const down = buttonsOf(answer!.body.blocks).find((b) => b.action_id === ACTIONS.voteDown)!;
    await click(down, 1);
    const thanks = (await fake.waitForCalls('response_url', 1))[0]!;
    const invite = buttonsOf(thanks.body.blocks).find((b) => b.action_id === COMMENT_ACTION)!;
    expect(thanks.body.text).toContain('👎 1');

    await click(invite, 2);
    const [opened] = await fake.waitForCalls('views.open', 1);
    expect(opened!.body.trigger_id).toBe('trigger-2');
    const view = JSON.parse(String(opened!.body.view)) as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(COMMENT_VIEW);

    const comment = 'The <b>figure</b> is out of date & @here should know';
    await interactive({
      type: 'view_submission',
      team: { id: FAKE.team, domain: 'fake' },
      user: { id: 'U0REPORTER', username: 'reporter', team_id: FAKE.team },
      api_app_id: FAKE.appId,
      token: 'verification-token',
      trigger_id: 'trigger-3',
      view: {
        id: 'V1',
        type: 'modal',
        team_id: FAKE.team,
        callback_id: COMMENT_VIEW,
        private_metadata: view.private_metadata,
        state: { values: { comment: { text: { type: 'plain_text_input', value: `  ${comment}  ` } } } },
        hash: 'h',
        app_id: FAKE.appId,
        bot_id: FAKE.botId,
      },
    });
    const votes = await until(async () => {
      const all = await stores.insights.votes(new Date(0));
      return all[0]?.comment ? all : undefined;
    });
    expect(votes).toHaveLength(1);
    expect(votes[0]).toMatchObject({ value: 'down', comment });

    const report = await createCoverage({ engine, insights: stores.insights, clock }).feedback();
    expect(report.downvoted).toEqual([
      expect.objectContaining({
        question: 'What does the US draft say about NATO?',
        down: 1,
        comments: [comment],
      }),
    ]);
    expect(report.downvoted[0]!.citations.length).toBeGreaterThan(0);
  });
});
