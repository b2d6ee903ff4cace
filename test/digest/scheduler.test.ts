import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { createManualClock } from '../../src/clock.ts';
import { type DigestChannel, digestChannelSchema } from '../../src/digest/channel-config.ts';
import { createDigestComposer } from '../../src/digest/compose.ts';
import { renderDigestText } from '../../src/digest/render-digest.ts';
import { createDigestScheduler, type Timers } from '../../src/digest/scheduler.ts';
import type { Digest, DigestPublisher } from '../../src/digest/types.ts';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-store.ts';
import { makeDocument, tempFolder } from '../helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const channel = (fields: Partial<DigestChannel> = {}): DigestChannel =>
  digestChannelSchema.parse({ platform: 'slack', channelId: 'C1', schedule: '0 8 * * *', ...fields });

function recordingPublisher(platform: DigestPublisher['platform'] = 'slack') {
  const posts: Array<{ channelId: string; digest: Digest }> = [];
  const publisher: DigestPublisher = {
    platform,
    async publish(channelId, digest) {
      posts.push({ channelId, digest });
      return { messageId: `m${posts.length}` };
    },
  };
  return { publisher, posts };
}

/** Timers that never fire by themselves: the test fires the pending one after moving the clock. */
function fakeTimers() {
  let pending: { callback: () => void; ms: number } | undefined;
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      pending = { callback, ms };
      return pending;
    },
    clearTimeout: () => {
      pending = undefined;
    },
  };
  return {
    timers,
    get pending() {
      return pending;
    },
  };
}

function setup(options: {
  channels: DigestChannel[];
  start: string;
  stores?: SqliteStores;
  engine?: Engine;
}) {
  const clock = createManualClock(options.start);
  const stores = options.stores ?? openSqliteStores(':memory:', { clock });
  if (!options.stores) cleanups.push(() => stores.close());
  const engine =
    options.engine ?? createEngine([makeDocument('a', 'Russia proposed a ceasefire in the Donbas.')]);
  const { publisher, posts } = recordingPublisher();
  const timer = fakeTimers();
  const scheduler = createDigestScheduler({
    channels: options.channels,
    composer: createDigestComposer({ engine, documents: stores.documents, digests: stores.digests, clock }),
    digests: stores.digests,
    publishers: { slack: publisher },
    fallback: recordingPublisher('console').publisher,
    graceMinutes: 60,
    clock,
    timers: timer.timers,
  });
  cleanups.push(() => scheduler.stop());
  /** Sleep as the scheduler asked (moving the clock, not waiting), let its timer fire, and let the run finish. */
  const sleepAndFire = async () => {
    const pending = timer.pending!;
    clock.advance(pending.ms);
    pending.callback();
    // The tick's run is a few promise hops; yielding to the event loop lets it settle.
    for (let i = 0; i < 20 && timer.pending === pending; i++)
      await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, stores, engine, scheduler, posts, timer, sleepAndFire };
}

describe('digest schedule', () => {
  it('fires at 08:00 Berlin time on both sides of the spring DST change', async () => {
    // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00 local time.
    const { scheduler, posts, sleepAndFire } = setup({
      channels: [channel({ timeZone: 'Europe/Berlin' })],
      start: '2026-03-27T12:00:00Z',
    });
    await scheduler.start();
    for (let wakes = 0; wakes < 100 && posts.length < 3; wakes++) await sleepAndFire();
    expect(posts.map((p) => p.digest.until)).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
  });

  it('fires at 09:00 New York time across the autumn DST change', async () => {
    const weekdays = channel({ timeZone: 'America/New_York', schedule: '0 9 * * 1-5' });
    const { scheduler } = setup({ channels: [weekdays], start: '2026-10-30T00:00:00Z' });
    const slots = ['2026-10-30T14:00:00Z', '2026-11-02T15:00:00Z', '2026-11-03T15:00:00Z'].map((at) =>
      scheduler.latestSlot(weekdays, new Date(at))?.toISOString(),
    );
    // Friday 09:00 EDT, then (after the weekend and the change back) Monday 09:00 EST.
    expect(slots).toEqual([
      '2026-10-30T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-03T14:00:00.000Z',
    ]);
  });

  it('sleeps until the next slot, never longer than an hour', async () => {
    const { scheduler, timer } = setup({ channels: [channel()], start: '2026-01-01T07:30:00Z' });
    await scheduler.start();
    expect(timer.pending!.ms).toBe(30 * 60 * 1000);
    expect(scheduler.nextWake()?.toISOString()).toBe('2026-01-01T08:00:00.000Z');
    await scheduler.stop();
    const late = setup({ channels: [channel()], start: '2026-01-01T09:00:00Z' });
    await late.scheduler.start();
    expect(late.timer.pending!.ms).toBe(60 * 60 * 1000);
  });
});

describe('exactly once', () => {
  it('posts a period once however often it runs, and the next period only what is new', async () => {
    const { scheduler, posts, clock, engine } = setup({
      channels: [channel()],
      start: '2026-01-01T08:00:00Z',
    });
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['posted']);
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['already-claimed']);
    clock.advance(10 * 60 * 1000);
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['already-claimed']);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.digest.entries.map((e) => e.docId)).toEqual(['a']);

    engine.upsert(makeDocument('b', 'Ukraine rejected the demand to withdraw from Donetsk.'));
    clock.set('2026-01-02T08:00:00Z');
    await scheduler.runDue();
    expect(posts).toHaveLength(2);
    expect(posts[1]!.digest.entries.map((e) => [e.docId, e.status])).toEqual([['b', 'new']]);
    expect(posts[1]!.digest.since).toBe('2026-01-01T08:00:00.000Z');
  });

  it('holds across two processes sharing the database file', async () => {
    const { dir, cleanup } = await tempFolder({});
    cleanups.push(cleanup);
    const path = join(dir, 'shared.db');
    const one = openSqliteStores(path);
    const two = openSqliteStores(path);
    cleanups.push(
      () => one.close(),
      () => two.close(),
    );
    const a = setup({ channels: [channel()], start: '2026-01-01T08:00:05Z', stores: one });
    const b = setup({ channels: [channel()], start: '2026-01-01T08:00:05Z', stores: two });
    const results = await Promise.all([a.scheduler.runDue(), b.scheduler.runDue()]);
    expect(
      results
        .flat()
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(['already-claimed', 'posted']);
    expect(a.posts.length + b.posts.length).toBe(1);
  });

  it('posts a missed digest once on start when within the grace time, and skips it when later', async () => {
    const onTime = setup({ channels: [channel()], start: '2026-01-01T08:59:00Z' });
    await onTime.scheduler.start();
    expect(onTime.posts.map((p) => p.digest.until)).toEqual(['2026-01-01T08:59:00.000Z']);
    await onTime.scheduler.stop();
    await onTime.scheduler.start();
    expect(onTime.posts).toHaveLength(1);

    const tooLate = setup({ channels: [channel()], start: '2026-01-01T09:01:00Z' });
    await tooLate.scheduler.start();
    expect(tooLate.posts).toHaveLength(0);
  });

  it('records a quiet period without posting when the channel wants silence', async () => {
    const { scheduler, posts, clock, stores } = setup({
      channels: [channel({ whenEmpty: 'silent' })],
      start: '2026-01-01T08:00:00Z',
    });
    await scheduler.runDue();
    clock.set('2026-01-02T08:00:00Z');
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['empty']);
    expect(posts).toHaveLength(1);
    expect((await stores.digests.list('slack', 'C1')).map((r) => r.status)).toEqual(['posted', 'empty']);
  });

  it('says "nothing new since" when the channel wants to hear it', async () => {
    const { scheduler, posts, clock } = setup({ channels: [channel()], start: '2026-01-01T08:00:00Z' });
    await scheduler.runDue();
    clock.set('2026-01-02T08:00:00Z');
    await scheduler.runDue();
    expect(renderDigestText(posts[1]!.digest)).toBe('Nothing new since 1 Jan 2026, 08:00 UTC.');
  });

  it('records a failed post and does not retry that period; the next digest still carries its news', async () => {
    const clock = createManualClock('2026-01-01T08:00:00Z');
    const stores = openSqliteStores(':memory:', { clock });
    cleanups.push(() => stores.close());
    const engine = createEngine([makeDocument('a', 'Russia proposed a ceasefire in the Donbas.')]);
    let fail = true;
    const sent: Digest[] = [];
    const scheduler = createDigestScheduler({
      channels: [channel()],
      composer: createDigestComposer({ engine, documents: stores.documents, digests: stores.digests, clock }),
      digests: stores.digests,
      publishers: {
        slack: {
          platform: 'slack',
          async publish(_channelId, digest) {
            if (fail) throw new Error('slack is down');
            sent.push(digest);
            return { messageId: 'ok' };
          },
        },
      },
      fallback: recordingPublisher('console').publisher,
      graceMinutes: 60,
      clock,
    });
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['failed']);
    fail = false;
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(['already-claimed']);
    clock.set('2026-01-02T08:00:00Z');
    await scheduler.runDue();
    expect(sent.map((d) => d.entries.map((e) => e.docId))).toEqual([['a']]);
  });

  it('marks a run left posting by an earlier process unknown on the first run, however recent', async () => {
    const { scheduler, posts, stores } = setup({ channels: [channel()], start: '2026-01-01T08:02:00Z' });
    await stores.digests.claim({
      platform: 'slack',
      channelId: 'C1',
      period: '2026-01-01T08:00:00.000Z',
      corpusRevision: 0,
      publisher: 'slack',
      at: new Date('2026-01-01T08:00:01Z'),
    });
    expect(await scheduler.runDue()).toEqual([expect.objectContaining({ outcome: 'already-claimed' })]);
    expect(posts).toHaveLength(0);
    expect((await stores.digests.list('slack', 'C1')).map((r) => r.status)).toEqual(['unknown']);
  });

  it('never re-posts a run left mid-post by a dead process, and warns once', async () => {
    const { scheduler, posts, clock, stores } = setup({
      channels: [channel()],
      start: '2026-01-01T08:20:00Z',
    });
    await stores.digests.claim({
      platform: 'slack',
      channelId: 'C1',
      period: '2026-01-01T08:00:00.000Z',
      corpusRevision: 0,
      publisher: 'slack',
      at: new Date('2026-01-01T08:00:01Z'),
    });
    expect(await scheduler.runDue()).toEqual([expect.objectContaining({ outcome: 'already-claimed' })]);
    expect(posts).toHaveLength(0);
    expect((await stores.digests.list('slack', 'C1')).map((r) => r.status)).toEqual(['unknown']);
    // Its news was never certainly delivered, so the next digest covers it.
    clock.set('2026-01-02T08:00:00Z');
    await scheduler.runDue();
    expect(posts[0]!.digest.entries.map((e) => e.docId)).toEqual(['a']);
  });

  it('uses the fallback publisher for a platform with no adapter', async () => {
    const clock = createManualClock('2026-01-01T08:00:00Z');
    const stores = openSqliteStores(':memory:', { clock });
    cleanups.push(() => stores.close());
    const consolePublisher = recordingPublisher('console');
    const scheduler = createDigestScheduler({
      channels: [channel({ platform: 'discord', channelId: '123456789012345678' })],
      composer: createDigestComposer({
        engine: createEngine([makeDocument('a', 'Text.')]),
        documents: stores.documents,
        digests: stores.digests,
        clock,
      }),
      digests: stores.digests,
      publishers: { slack: recordingPublisher().publisher },
      fallback: consolePublisher.publisher,
      graceMinutes: 60,
      clock,
    });
    expect(await scheduler.runDue()).toEqual([
      expect.objectContaining({ outcome: 'posted', publisher: 'console' }),
    ]);
    expect(consolePublisher.posts[0]!.digest.platform).toBe('console');
  });
});
