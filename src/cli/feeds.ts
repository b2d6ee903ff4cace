import { parseArgs } from 'node:util';
import { type Clock, systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { createIngester } from '../corpus/ingest.ts';
import { corpusDocuments } from '../corpus/link-adder.ts';
import { PeacedeskError } from '../errors.ts';
import { loadFeedsConfig } from '../feeds/feed-config.ts';
import { createFeedPoller, describeFeedReports } from '../feeds/poll-feeds.ts';
import { createSafeFetcher, type Fetcher } from '../fetch/safe-fetch.ts';
import { createLogger } from '../logger.ts';
import { createCore } from '../runtime.ts';
import { openStores } from '../store/open-stores.ts';
import { createProgress } from './progress.ts';
import { runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run feeds -- --once     poll every feed in FEEDS_CONFIG once and print what was done

Feeds are listed in FEEDS_CONFIG (default feeds.config.json; see feeds.config.example.json).
Each new item on the subject is fetched and ingested like "npm run ingest -- URL"; items off the
subject are skipped with the reason. What was seen is kept in the database, so the next poll
(or npm start, which polls on the file's schedule) picks up only what is new.
Exit code: 0 when every feed was read (or not modified), 1 when a feed failed.`;

/** Where `npm run feeds` writes. */
export interface FeedsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  now: () => number;
  clock?: Clock;
  fetcher?: Fetcher;
}

/** `npm run feeds -- --once`: poll every configured feed once. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: FeedsIo = { stdout: process.stdout, stderr: process.stderr, now: Date.now },
): Promise<number> {
  let values: { once?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.once)
    throw new PeacedeskError('usage', `Give --once (npm start polls on a schedule).\n\n${USAGE}`);
  const config = loadConfig(env);
  const feeds = loadFeedsConfig(config.feeds.configPath);
  if (!feeds.feeds.length) {
    io.stdout.write(`No feeds in ${config.feeds.configPath} (see feeds.config.example.json).\n`);
    return 0;
  }
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  const core = await createCore(config, logger);
  // The feed state npm start reads: PostgreSQL with DATABASE_URL, the SQLite file otherwise.
  const stores = await openStores(config);
  try {
    const clock = io.clock ?? systemClock;
    const fetcher =
      io.fetcher ??
      createSafeFetcher({
        allowHosts: config.fetch.allowHosts,
        timeoutMs: config.fetch.timeoutMs,
        maxBytes: config.fetch.maxBytes,
      });
    const progress = createProgress(feeds.feeds.length, io, 'feeds');
    // One ingester for the run: it knows what it wrote, so a later item copying an earlier one is a copy.
    const ingester = createIngester(config.corpusDir, corpusDocuments(core.engine), {
      live: stores.live,
      clock,
    });
    const reports = await createFeedPoller({
      feeds: feeds.feeds,
      fetcher,
      live: stores.live,
      ingester: () => ingester,
      stats: () => core.engine,
      clock,
      logger,
      // Later items are judged against the articles just added, as the running bot's would be.
      onIngested: (document) => core.engine.upsert(document),
      onFeed: (report) => {
        for (const line of describeFeedReports([report])) progress.line(line, io.stdout);
        progress.tick();
      },
    }).pollAll();
    progress.done();
    return reports.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    await stores.close();
  }
}

runCli(import.meta.url, (argv, env) => main(argv, env));
