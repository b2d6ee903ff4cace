import { Cron } from 'croner';
import { type Clock, systemClock } from '../clock.ts';
import type { Ingester } from '../corpus/ingest.ts';
import { describeLinkOutcome, ingestLink } from '../corpus/ingest-link.ts';
import type { CorpusDocument } from '../corpus/schema.ts';
import { PeacedeskError } from '../errors.ts';
import type { Fetcher } from '../fetch/safe-fetch.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service.ts';
import type { FeedItemRecord, FeedState, LiveCorpusStore } from '../store/types.ts';
import { analyzeTerms } from '../text/analyze.ts';
import type { FeedEntry } from './feed-config.ts';
import { judgeSubject, type TermStatistics } from './on-subject.ts';
import { FeedParseError, parseFeed } from './parse-feed.ts';

/** What became of one item in a poll. */
export interface ItemReport {
  link: string;
  title: string;
  outcome: FeedItemRecord['outcome'];
  /** For people: what was added, or why not. */
  detail: string;
}

/** What one feed's poll did. */
export interface FeedReport {
  url: string;
  name: string;
  /** polled: read and its new items handled; not-modified: 304; waiting: backing off after errors; failed. */
  status: 'polled' | 'not-modified' | 'waiting' | 'failed';
  detail: string;
  /** Items handled this time (items seen before are not repeated here). */
  items: ItemReport[];
  /** Items already handled on an earlier poll. */
  seen: number;
}

/** Options of {@link createFeedPoller}. */
export interface FeedPollerOptions {
  feeds: readonly FeedEntry[];
  fetcher: Fetcher;
  live: LiveCorpusStore;
  /** An ingester that knows the corpus as it is now (called once per poll). */
  ingester: () => Ingester;
  /** How rare terms are in the corpus, for the subject check. */
  stats: () => TermStatistics;
  clock?: Clock;
  logger?: Logger;
  /** Called after each item is handled (progress on a first poll of many feeds). */
  onItem?: (feed: FeedEntry, item: ItemReport) => void;
  /** Called with each article written (a one-shot run keeps its engine current with it; the bot's corpus watcher does that itself). */
  onIngested?: (document: CorpusDocument) => void;
  /** Called after each feed is polled. */
  onFeed?: (report: FeedReport) => void;
  /** First backoff after a failed poll; doubles with each further failure, up to `maxBackoffMs`. Default 5 min. */
  backoffMs?: number;
  /** Default 6 h. */
  maxBackoffMs?: number;
  /** A failed item (page refused, timeout) is tried again on later polls this many times in all. Default 3. */
  itemAttempts?: number;
}

/** Polls feeds: conditional GET, per-feed backoff, each new on-subject item's link ingested once. */
export interface FeedPoller {
  /** Poll every feed once (feeds backing off are reported as waiting). */
  pollAll(): Promise<FeedReport[]>;
}

/** Create a {@link FeedPoller}. State lives in `live`, so a restart neither misses nor repeats an item. */
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const clock = options.clock ?? systemClock;
  const backoff = options.backoffMs ?? 5 * 60_000;
  const maxBackoff = options.maxBackoffMs ?? 6 * 60 * 60_000;
  const attemptsAllowed = options.itemAttempts ?? 3;
  const { live } = options;

  const pollOne = async (
    feed: FeedEntry,
    ingester: Ingester,
    stats: TermStatistics,
    ingested: (document: CorpusDocument) => void,
  ): Promise<FeedReport> => {
    const name = feed.name ?? new URL(feed.url).host;
    const report: FeedReport = { url: feed.url, name, status: 'polled', detail: '', items: [], seen: 0 };
    const now = clock.now();
    const state: FeedState = (await live.feedState(feed.url)) ?? {
      url: feed.url,
      etag: null,
      lastModified: null,
      failures: 0,
      retryAt: null,
      lastPolledAt: null,
      lastError: null,
    };
    if (state.retryAt && state.retryAt > now) {
      return {
        ...report,
        status: 'waiting',
        detail: `backing off after ${state.failures} failed poll${state.failures === 1 ? '' : 's'} until ${state.retryAt.toISOString()} (last error: ${state.lastError})`,
      };
    }
    let items: ReturnType<typeof parseFeed>['items'];
    let validators: Pick<FeedState, 'etag' | 'lastModified'>;
    try {
      const result = await options.fetcher({
        url: feed.url,
        kind: 'feed',
        etag: state.etag,
        lastModified: state.lastModified,
      });
      if (result.status === 304) {
        await live.saveFeedState({
          ...state,
          failures: 0,
          retryAt: null,
          lastPolledAt: now,
          lastError: null,
        });
        return { ...report, status: 'not-modified', detail: 'not modified since the last poll (304)' };
      }
      items = parseFeed(result.text, result.url).items;
      validators = { etag: result.etag, lastModified: result.lastModified };
    } catch (error) {
      if (!(error instanceof PeacedeskError) && !(error instanceof FeedParseError)) throw error;
      const message = error instanceof FeedParseError ? `the feed ${error.message}` : error.message;
      const failures = state.failures + 1;
      const retryAt = new Date(now.getTime() + Math.min(backoff * 2 ** (failures - 1), maxBackoff));
      await live.saveFeedState({ ...state, failures, retryAt, lastPolledAt: now, lastError: message });
      options.logger?.warn('feed poll failed', {
        feed: feed.url,
        failures,
        retryAt: retryAt.toISOString(),
        error: message,
      });
      return {
        ...report,
        status: 'failed',
        detail: `${message} (failure ${failures}; next try after ${retryAt.toISOString()})`,
      };
    }
    // An item to try again on a later poll: that poll must read the feed, not take a 304.
    let retryPending = false;
    // Oldest first, as feeds list newest first: the corpus grows in the order things happened.
    for (const item of [...items].reverse()) {
      const previous = await live.feedItem(feed.url, item.key);
      // Republished (a new date on a handled item): read again, so a changed text becomes a correction.
      const republished =
        previous !== undefined && previous.outcome !== 'failed' && previous.stamp !== item.stamp;
      if (
        previous &&
        !republished &&
        (previous.outcome !== 'failed' || previous.attempts >= attemptsAllowed)
      ) {
        report.seen++;
        continue;
      }
      const attempts = republished ? 1 : (previous?.attempts ?? 0) + 1;
      const verdict = judgeSubject(item, stats);
      let handled: ItemReport;
      let docId: string | null = null;
      if (!verdict.onSubject) {
        handled = {
          link: item.link,
          title: item.title,
          outcome: 'skipped',
          detail: `off the subject: ${verdict.reason}`,
        };
        options.logger?.info('feed item skipped', {
          feed: feed.url,
          link: item.link,
          title: item.title,
          reason: verdict.reason,
        });
      } else {
        const outcome = await ingestLink(
          item.link,
          { fetcher: options.fetcher, ingester },
          { source: feed.source },
        );
        const detail = describeLinkOutcome(outcome);
        switch (outcome.action) {
          case 'added':
          case 'updated':
            ingested(outcome.document);
            docId = outcome.id;
            handled = { link: item.link, title: item.title, outcome: outcome.action, detail };
            break;
          case 'unchanged':
            docId = outcome.id;
            handled = { link: item.link, title: item.title, outcome: outcome.action, detail };
            break;
          case 'copy':
            docId = outcome.existingId;
            handled = { link: item.link, title: item.title, outcome: 'copy', detail };
            break;
          case 'duplicate':
            docId = outcome.existingId;
            handled = { link: item.link, title: item.title, outcome: 'unchanged', detail };
            break;
          default:
            retryPending ||= attempts < attemptsAllowed;
            handled = {
              link: item.link,
              title: item.title,
              outcome: 'failed',
              detail:
                attempts < attemptsAllowed
                  ? `${detail} (will try again)`
                  : `${detail} (given up after ${attempts} tries)`,
            };
        }
        options.logger?.info('feed item handled', {
          feed: feed.url,
          link: item.link,
          outcome: handled.outcome,
          detail,
        });
      }
      await live.recordFeedItem({
        feedUrl: feed.url,
        key: item.key,
        link: item.link,
        outcome: handled.outcome,
        detail: handled.detail,
        docId,
        stamp: item.stamp,
        attempts,
        at: clock.now(),
      });
      report.items.push(handled);
      options.onItem?.(feed, handled);
    }
    // Validators saved only now: a poll cut short is read again in full, its handled items skipped.
    // While an item awaits a retry the earlier validators stay, so the next poll reads the feed again.
    await live.saveFeedState({
      ...state,
      ...(!retryPending && validators),
      failures: 0,
      retryAt: null,
      lastPolledAt: now,
      lastError: null,
    });
    report.detail = `${items.length} item${items.length === 1 ? '' : 's'} in the feed, ${report.items.length} new, ${report.seen} seen before`;
    return report;
  };

  return {
    async pollAll() {
      const ingester = options.ingester();
      const indexed = options.stats();
      // Terms of the articles this poll writes: the bot's index picks them up only after the
      // poll, and a later item (another outlet's copy) must be judged against them already.
      const written = new Set<string>();
      const stats: TermStatistics = { idf: (term) => (written.has(term) ? 0 : indexed.idf(term)) };
      const remember = (document: CorpusDocument) => {
        for (const term of analyzeTerms(`${document.title}. ${document.body}`)) written.add(term);
        options.onIngested?.(document);
      };
      const reports: FeedReport[] = [];
      for (const feed of options.feeds) {
        const report = await pollOne(feed, ingester, stats, remember);
        reports.push(report);
        options.onFeed?.(report);
      }
      return reports;
    },
  };
}

/** A service that polls the feeds on a cron schedule (UTC); a poll still running is not started twice. */
export function createFeedService(options: {
  poller: FeedPoller;
  schedule: string;
  logger: Logger;
  /** Called after each poll (e.g. to log a summary). */
  onPoll?: (reports: FeedReport[]) => void;
  /** Poll once right after start (default true). */
  pollOnStart?: boolean;
}): Service & { pollNow(): Promise<FeedReport[]> } {
  let cron: Cron | undefined;
  let running: Promise<FeedReport[]> | undefined;
  const pollNow = () => {
    running ??= options.poller
      .pollAll()
      .then((reports) => {
        options.onPoll?.(reports);
        return reports;
      })
      .catch((error: unknown) => {
        options.logger.error('feed poll failed', { error });
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    name: 'feeds',
    pollNow,
    async start() {
      if (cron) return;
      cron = new Cron(options.schedule, { timezone: 'UTC', protect: true }, () => void pollNow());
      options.logger.info('feeds scheduled', {
        schedule: options.schedule,
        next: cron.nextRun()?.toISOString(),
      });
      // Catch up at once with what was published while the bot was down; start-up does not wait for it.
      if (options.pollOnStart ?? true) void pollNow();
    },
    async stop() {
      cron?.stop();
      cron = undefined;
      await running;
    },
  };
}

/** A poll's report for people, one line per feed and per new item. */
export function describeFeedReports(reports: readonly FeedReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.name} <${r.url}>: ${r.status === 'polled' ? r.detail : `${r.status}: ${r.detail}`}`);
    for (const item of r.items)
      lines.push(`  ${item.outcome}: ${item.title || item.link} <${item.link}>: ${item.detail}`);
  }
  return lines;
}
