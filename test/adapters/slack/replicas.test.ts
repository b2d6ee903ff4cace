import { afterEach, describe, expect, it } from 'vitest';
import { createSlackService, type SlackService } from '../../../adapters/slack/create-slack-service.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { makeDocument } from '../../helpers.ts';
import { postgresBackend, type TestDatabase, testDatabaseUrl } from '../../store/backends.ts';
import { slackConfig } from './config.ts';
import { eventCallback, FAKE, signSlackRequest, startFakeSlack } from './fake-slack.ts';

const SECRET = 'replica-signing-secret';
const url = testDatabaseUrl();
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

// Two peacedesk replicas (HTTP mode) behind one Slack app, sharing one PostgreSQL: Slack may
// redeliver an event to either, and each question must still be answered exactly once.
describe.runIf(url)('Slack on two replicas sharing PostgreSQL', () => {
  it('answers every event once, whichever replica gets it and however often', async () => {
    const fake = await startFakeSlack();
    open.push(() => fake.close());
    const db: TestDatabase = await postgresBackend(url!).create();
    open.push(() => db.drop());
    const engine = createEngine([
      makeDocument('plan', 'The draft plan would freeze the front line in Zaporizhzhia and Kherson.'),
    ]);
    const clock = createManualClock('2026-01-01T10:00:00Z');
    const replicas: SlackService[] = [];
    for (let i = 0; i < 2; i++) {
      const stores = await db.open({ clock, salt: 'salt' });
      const service = createSlackService({
        config: slackConfig({ signingSecret: SECRET, apiUrl: fake.apiUrl }),
        engine,
        feedback: stores.feedback,
        audit: stores.audit,
        ledger: stores.ledger,
        logger: createLogger('silent'),
        clock,
      });
      await service.start();
      replicas.push(service);
    }
    let stopped = false;
    const stopAll = async () => {
      if (stopped) return;
      stopped = true;
      for (const r of replicas) await r.stop();
    };
    open.push(stopAll);

    const deliver = async (replica: SlackService, body: Record<string, unknown>, retryNum?: number) => {
      const raw = JSON.stringify(body);
      const response = await fetch(`http://127.0.0.1:${replica.address()!.port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signSlackRequest(SECRET, raw),
          ...(retryNum
            ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' }
            : {}),
        },
        body: raw,
      });
      expect(response.status).toBe(200);
      await response.text();
    };

    const events = Array.from({ length: 30 }, (_, i) =>
      eventCallback(`Ev${i}`, {
        type: 'app_mention',
        user: `U${i % 5}`,
        text: `<@${FAKE.botUserId}> what about the front line in Kherson? (${i})`,
        ts: `1700000${String(i).padStart(3, '0')}.000100`,
        channel: 'C1',
      }),
    );
    // Each event reaches both replicas at once, then once more as a retry to one of them.
    await Promise.all(events.flatMap((e) => [deliver(replicas[0]!, e), deliver(replicas[1]!, e)]));
    await Promise.all(events.map((e, i) => deliver(replicas[i % 2]!, e, 1)));
    // Stopping waits for every answer in flight, so the count below is final.
    await stopAll();

    const answers = fake.callsTo('chat.postMessage');
    const threads = answers.map((call) => call.body.thread_ts);
    expect(new Set(threads).size).toBe(events.length);
    expect(answers).toHaveLength(events.length);
    expect(answers.every((call) => JSON.stringify(call.body.blocks).includes('Kherson'))).toBe(true);
  });
});
