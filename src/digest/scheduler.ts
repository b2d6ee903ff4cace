import { Cron } from 'croner';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { Service } from '../service.ts';
import type { DigestRunStore, Platform } from '../store/types.ts';
import type { DigestChannel } from './channel-config.ts';
import type { DigestComposer } from './compose.ts';
import type { DigestPublisher } from './types.ts';

/** The points of one digest run, in order (tests kill a process at each). */
export type DigestStep = 'before-claim' | 'after-claim' | 'after-post' | 'after-mark';

/** What happened to one channel's period. */
export interface DigestRunResult {
  platform: Platform;
  channelId: string;
  period: string;
  outcome: 'posted' | 'empty' | 'failed' | 'already-claimed';
  messageId?: string;
  publisher?: string;
}

/** Timer functions, injected so tests drive the schedule without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link createDigestScheduler}. */
export interface DigestSchedulerOptions {
  channels: readonly DigestChannel[];
  composer: DigestComposer;
  digests: DigestRunStore;
  /** The adapters' publishers by platform; a channel whose platform has none uses `fallback`. */
  publishers: Partial<Record<Platform, DigestPublisher>>;
  /** Used for channels whose platform adapter is not running (the console publisher). */
  fallback: DigestPublisher;
  /** A scheduled time missed by more than this (process down) is skipped, not posted late. */
  graceMinutes: number;
  clock?: Clock;
  logger?: Logger;
  timers?: Timers;
  /** Longest single sleep; waking early just re-checks, so clock jumps and suspends are harmless. Default 1 h. */
  maxSleepMs?: number;
  /**
   * A run of this process still `posting` this long after its claim is given up as `unknown`
   * (a post that hangs). Runs claimed before this scheduler was created are given up at once, on
   * the first run: the process that claimed them was killed mid-post. Default 15 min.
   */
  staleAfterMs?: number;
  /** Called at each step of a run (tests use it to kill a child process at that point). */
  onStep?: (step: DigestStep, run: { channelId: string; period: string }) => void | Promise<void>;
  /**
   * Who runs the schedule when several replicas share one database (see {@link SchedulerLease}).
   * Default: this process always does (one process per SQLite file).
   */
  lease?: SchedulerLease;
}

/**
 * One replica at a time runs the schedule. The lease is taken (or renewed) at every wake and every
 * `renewEveryMs`; a replica that does not hold it does nothing but ask again, so when the holder
 * dies another takes over within the lease's time-to-live and catches up on what is due. Exactly
 * once still rests on the period claim: the lease only keeps the others from composing in vain.
 */
export interface SchedulerLease {
  /** Take the lease, or renew it when this process holds it; false while another live process does. */
  acquire(): Promise<boolean>;
  /** Give it up (on stop), so another replica takes over at once. */
  release(): Promise<void>;
  /** How often to renew (holder) or ask again (the others): well under the time-to-live. */
  readonly renewEveryMs: number;
}

/** The default lease: always held, never renewed (this process is the only one). */
export const inProcessLease: SchedulerLease = {
  acquire: async () => true,
  release: async () => {},
  renewEveryMs: Number.POSITIVE_INFINITY,
};

/** The digest service: posts each channel's digest at its scheduled times, exactly once per period. */
export interface DigestScheduler extends Service {
  /** Post, for every channel, its latest scheduled period if it is within the grace time and unclaimed. */
  runDue(): Promise<DigestRunResult[]>;
  /** Post a digest to one channel now, as its own period `manual:<time>` (`npm run digest -- --now`). */
  postNow(channel: DigestChannel): Promise<DigestRunResult>;
  /** The latest scheduled time at or before `at` for a channel. */
  latestSlot(channel: DigestChannel, at: Date): Date | undefined;
  /** When the scheduler will next wake, if started. */
  nextWake(): Date | undefined;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Build the digest scheduler. Exactly-once per period rests on the store's claim: a period is
 * claimed (status `posting`) in one atomic insert before anything is posted, and a claimed period
 * is never posted again, whatever happens after. So a crash between claim and the platform's reply
 * loses that period's post rather than doubling it (at-most-once at the crash point); nothing is
 * lost from the news, because the next digest covers everything since the last digest that was
 * certainly delivered.
 */
export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? realTimers;
  const maxSleep = options.maxSleepMs ?? 60 * 60 * 1000;
  const staleAfter = options.staleAfterMs ?? 15 * 60 * 1000;
  const graceMs = options.graceMinutes * 60 * 1000;
  // Runs still `posting` from before this moment were claimed by an earlier process (killed
  // mid-post). If one is in fact a live process posting right now, its own mark overwrites ours.
  const createdAt = clock.now();
  const crons = new Map(
    options.channels.map((c) => [c, new Cron(c.schedule, { timezone: c.timeZone, paused: true })] as const),
  );
  let handle: unknown;
  let wake: Date | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const lease = options.lease ?? inProcessLease;
  let leader = false;
  let leaseHandle: unknown;

  const step = async (name: DigestStep, channelId: string, period: string) => {
    await options.onStep?.(name, { channelId, period });
  };

  const publisherFor = (platform: Platform) => options.publishers[platform] ?? options.fallback;

  const runPeriod = async (channel: DigestChannel, period: string): Promise<DigestRunResult> => {
    const key = { platform: channel.platform, channelId: channel.channelId, period };
    const publisher = publisherFor(channel.platform);
    await step('before-claim', channel.channelId, period);
    const { digest, corpusRevision } = await options.composer.compose({
      platform: channel.platform,
      channelId: channel.channelId,
      record: true,
      timeZone: channel.timeZone,
      topQuestions: channel.topQuestions,
      gaps: channel.gaps,
      publishedAs: publisher.platform,
    });
    const claimed = await options.digests.claim({
      ...key,
      corpusRevision,
      publisher: publisher.platform,
      at: clock.now(),
    });
    if (!claimed) {
      logger.debug('digest period already claimed', key);
      return { ...key, outcome: 'already-claimed' };
    }
    await step('after-claim', channel.channelId, period);
    if (digest.entries.length === 0 && !digest.corrections?.length && channel.whenEmpty === 'silent') {
      await options.digests.finish(key, { status: 'empty', at: clock.now() });
      logger.info('digest skipped: nothing new', key);
      return { ...key, outcome: 'empty' };
    }
    let messageId: string;
    try {
      ({ messageId } = await publisher.publish(channel.channelId, digest));
    } catch (error) {
      // Not retried: the post may have reached the platform before the error (a timeout).
      await options.digests.finish(key, {
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        at: clock.now(),
      });
      logger.error('digest post failed', { ...key, publisher: publisher.platform, error });
      return { ...key, outcome: 'failed', publisher: publisher.platform };
    }
    await step('after-post', channel.channelId, period);
    await options.digests.finish(key, { status: 'posted', messageId, at: clock.now() });
    await step('after-mark', channel.channelId, period);
    logger.info('digest posted', {
      ...key,
      publisher: publisher.platform,
      messageId,
      entries: digest.entries.length,
    });
    return { ...key, outcome: 'posted', messageId, publisher: publisher.platform };
  };

  const latestSlot = (channel: DigestChannel, at: Date) =>
    crons.get(channel)?.previousRuns(1, new Date(at.getTime() + 1))[0];

  const runDue = async (): Promise<DigestRunResult[]> => {
    leader = await lease.acquire();
    if (!leader) {
      logger.debug('digest: another replica holds the schedule lease');
      return [];
    }
    const now = clock.now();
    const cutoff = Math.max(createdAt.getTime(), now.getTime() - staleAfter);
    for (const run of await options.digests.abandonStale(new Date(cutoff))) {
      logger.warn(
        'digest run interrupted mid-post; marked unknown, not re-posted (the next digest covers its news)',
        {
          platform: run.platform,
          channelId: run.channelId,
          period: run.period,
          claimedAt: run.claimedAt.toISOString(),
        },
      );
    }
    const results: DigestRunResult[] = [];
    for (const channel of options.channels) {
      const slot = latestSlot(channel, now);
      if (!slot || now.getTime() - slot.getTime() > graceMs) continue;
      try {
        results.push(await runPeriod(channel, slot.toISOString()));
      } catch (error) {
        // One channel's failure (a store error) must not starve the others.
        logger.error('digest run failed', {
          channelId: channel.channelId,
          period: slot.toISOString(),
          error,
        });
      }
    }
    return results;
  };

  const nextSlot = (after: Date): Date | undefined => {
    let soonest: Date | undefined;
    for (const cron of crons.values()) {
      const next = cron.nextRun(after);
      if (next && (!soonest || next < soonest)) soonest = next;
    }
    return soonest;
  };

  const schedule = () => {
    if (stopped) return;
    const now = clock.now();
    const next = nextSlot(now);
    const delay = next ? Math.min(Math.max(0, next.getTime() - now.getTime()), maxSleep) : maxSleep;
    wake = new Date(now.getTime() + delay);
    handle = timers.setTimeout(() => {
      handle = undefined;
      running = runDue()
        .catch((error: unknown) => logger.error('digest scheduler tick failed', { error }))
        .finally(schedule);
    }, delay);
  };

  // Renew the lease while holding it; ask again while not. Taking it over means the holder died
  // (or stopped): catch up at once on what is due, within grace, as at start.
  const renewLease = () => {
    if (stopped || !Number.isFinite(lease.renewEveryMs)) return;
    leaseHandle = timers.setTimeout(() => {
      leaseHandle = undefined;
      const wasLeader = leader;
      void lease
        .acquire()
        .then(async (held) => {
          leader = held;
          if (held && !wasLeader && !stopped) {
            logger.info('digest: this replica took over the schedule lease');
            running = runDue();
            await running;
          }
        })
        .catch((error: unknown) => {
          leader = false;
          logger.error('digest: schedule lease renewal failed', { error });
        })
        .finally(renewLease);
    }, lease.renewEveryMs);
  };

  return {
    name: 'digest',
    runDue,
    latestSlot,
    nextWake: () => wake,
    postNow: (channel) => runPeriod(channel, `manual:${clock.now().toISOString()}`),
    async start() {
      stopped = false;
      // Catch up first: a digest missed while the process was down is posted once, within grace.
      running = runDue();
      await running;
      schedule();
      renewLease();
    },
    async stop() {
      stopped = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
      wake = undefined;
      if (leaseHandle !== undefined) timers.clearTimeout(leaseHandle);
      leaseHandle = undefined;
      await running;
      if (leader)
        await lease.release().catch((error: unknown) => logger.warn('digest: lease not released', { error }));
      leader = false;
    },
  };
}
