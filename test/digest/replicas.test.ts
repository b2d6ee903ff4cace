import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createManualClock } from '../../src/clock.ts';
import { digestChannelSchema } from '../../src/digest/channel-config.ts';
import { createDigestComposer } from '../../src/digest/compose.ts';
import { createDigestScheduler, type DigestScheduler, type Timers } from '../../src/digest/scheduler.ts';
import { createStoreLease } from '../../src/digest/store-lease.ts';
import { makeDocument } from '../helpers.ts';
import { postgresBackend, type TestDatabase, testDatabaseUrl } from '../store/backends.ts';

const url = testDatabaseUrl();
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

interface Replica {
  name: string;
  scheduler: DigestScheduler;
  pending: Set<{ due: number; callback: () => void }>;
  alive: boolean;
}

// Several replicas' digest schedulers on one PostgreSQL, driven by one manual clock: timers fire
// in time order, each fire waits for its run to finish (the scheduler then sets its next timer).
describe.runIf(url)('digest scheduler on several replicas', () => {
  it('posts each period once, from the lease holder, and a survivor takes over from a killed holder', async () => {
    const db = await postgresBackend(url!).create();
    databases.push(db);
    const clock = createManualClock('2026-01-01T07:50:00Z');
    const engine = createEngine([makeDocument('a', 'Russia proposed a ceasefire in the Donbas.')]);
    const posts: Array<{ replica: string; period: string }> = [];
    const ttlMs = 10 * 60 * 1000;

    const replica = async (name: string): Promise<Replica> => {
      const stores = await db.open({ clock });
      const pending = new Set<{ due: number; callback: () => void }>();
      const timers: Timers = {
        setTimeout: (callback, ms) => {
          const timer = { due: clock.now().getTime() + ms, callback };
          pending.add(timer);
          return timer;
        },
        clearTimeout: (handle) => void pending.delete(handle as { due: number; callback: () => void }),
      };
      const scheduler = createDigestScheduler({
        channels: [digestChannelSchema.parse({ platform: 'slack', channelId: 'C1', schedule: '0 8 * * *' })],
        composer: createDigestComposer({
          engine,
          documents: stores.documents,
          digests: stores.digests,
          clock,
        }),
        digests: stores.digests,
        publishers: {
          slack: {
            platform: 'slack',
            async publish(_channelId, digest) {
              posts.push({ replica: name, period: digest.until });
              return { messageId: `${name}-${posts.length}` };
            },
          },
        },
        fallback: { platform: 'console', publish: async () => ({ messageId: 'unused' }) },
        graceMinutes: 60,
        clock,
        timers,
        lease: createStoreLease({ leases: stores.leases!, holder: name, ttlMs }),
      });
      return { name, scheduler, pending, alive: true };
    };

    const runUntil = async (replicas: Replica[], until: string) => {
      const end = new Date(until).getTime();
      for (;;) {
        let next: { replica: Replica; timer: { due: number; callback: () => void } } | undefined;
        for (const r of replicas.filter((r) => r.alive))
          for (const timer of r.pending)
            if (!next || timer.due < next.timer.due) next = { replica: r, timer };
        if (!next || next.timer.due > end) break;
        if (next.timer.due > clock.now().getTime()) clock.set(new Date(next.timer.due));
        const { replica: r, timer } = next;
        r.pending.delete(timer);
        const before = r.pending.size;
        timer.callback();
        for (let i = 0; r.pending.size <= before; i++) {
          if (i > 5000) throw new Error(`${r.name}: a timer's run never finished`);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      clock.set(new Date(end));
    };

    const a = await replica('A');
    const b = await replica('B');
    await a.scheduler.start();
    await b.scheduler.start();
    await runUntil([a, b], '2026-01-01T09:00:00Z');
    expect(posts).toEqual([{ replica: 'A', period: '2026-01-01T08:00:00.000Z' }]);
    // Only the holder works on the schedule: B does not even compose while A holds the lease.
    expect(await b.scheduler.runDue()).toEqual([]);
    expect((await a.scheduler.runDue()).map((r) => r.outcome)).toEqual(['already-claimed']);

    // A is killed (its timers never fire again, it releases nothing). B takes over once A's lease
    // has expired, finds the day's period already claimed, and posts the next days.
    a.alive = false;
    await runUntil([a, b], '2026-01-03T09:00:00Z');
    expect(posts).toEqual([
      { replica: 'A', period: '2026-01-01T08:00:00.000Z' },
      { replica: 'B', period: '2026-01-02T08:00:00.000Z' },
      { replica: 'B', period: '2026-01-03T08:00:00.000Z' },
    ]);

    // A replica that stops cleanly hands the lease over at once: C, started later, gets it.
    const c = await replica('C');
    await c.scheduler.start();
    await b.scheduler.stop();
    b.alive = false;
    await runUntil([c], '2026-01-04T09:00:00Z');
    expect(posts.at(-1)).toEqual({ replica: 'C', period: '2026-01-04T08:00:00.000Z' });
    await c.scheduler.stop();
  });
});
