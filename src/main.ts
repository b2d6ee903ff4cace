import { existsSync } from 'node:fs';
import { ADAPTERS } from '../adapters/registry.ts';
import { type Adapter, type AdapterContext, type AdapterDefinition, configSections } from './adapter.ts';
import { buildIndexInChild, embedInChild } from './cli/index-in-child.ts';
import { runCli } from './cli/run-cli.ts';
import { wrapText } from './cli/wrap-text.ts';
import { systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { stripControlCharacters } from './corpus/control-characters.ts';
import { createIngester } from './corpus/ingest.ts';
import { corpusDocuments, createLinkAdder } from './corpus/link-adder.ts';
import { createCoverage } from './coverage/coverage.ts';
import { createOverview } from './coverage/overview.ts';
import type { DigestChannel } from './digest/channel-config.ts';
import { loadDigestChannels } from './digest/channel-config.ts';
import { createDigestComposer } from './digest/compose.ts';
import { createConsolePublisher } from './digest/console-publisher.ts';
import { createDigestPreviewer } from './digest/previewer.ts';
import { createDigestScheduler } from './digest/scheduler.ts';
import { createStoreLease } from './digest/store-lease.ts';
import type { DigestPublisher } from './digest/types.ts';
import { loadFeedsConfig } from './feeds/feed-config.ts';
import { createFeedPoller, createFeedService, describeFeedReports } from './feeds/poll-feeds.ts';
import { createSafeFetcher } from './fetch/safe-fetch.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSnapshotSaver, saveSnapshot, snapshotPath } from './persistence/snapshot.ts';
import { createCorpusWatcher } from './persistence/watch-corpus.ts';
import { type Core, type CoreOptions, createCore, describeProblems } from './runtime.ts';
import { createVectorFillService, type EmbedElsewhere } from './semantic/background-fill.ts';
import { type EmbedRequest, serveEmbeddings } from './semantic/embed-server.ts';
import { loadSentenceEncoder } from './semantic/load-encoder.ts';
import type { Service } from './service.ts';
import { openStores, type Stores } from './store/open-stores.ts';
import { createPostgresCorpusSync } from './store/postgres-corpus.ts';
import { corpusExtrasOf, createEditorsPage } from './web/server.ts';

/** The adapters `npm start` runs: each configured service adapter, or the console one when none is. */
function chooseAdapters(config: Config): AdapterDefinition<never>[] {
  const services = ADAPTERS.filter((a) => a.kind === 'service' && config.adapters[a.name] !== undefined);
  return services.length ? services : ADAPTERS.filter((a) => a.kind === 'console');
}

/** Banner lines: each service adapter on or off (and how to turn it on), and the editors' page. */
function adapterStatus(config: Config): string[] {
  return [
    ...ADAPTERS.filter((a) => a.kind === 'service').map((a) => a.describe(config.adapters[a.name] as never)),
    config.web
      ? `Editors' page: on (http://${config.web.host}:${config.web.port}/, token WEB_TOKEN)`
      : "Editors' page: off (set WEB_PORT and WEB_TOKEN to turn it on)",
  ];
}

/** Banner lines for an empty corpus folder: how to add articles. */
function emptyCorpusHelp(config: Config): string[] {
  return [
    `warning: ${config.corpusDir}/ has no articles, so every question will be declined.`,
    `  Add Markdown files with front matter there (see README "Ingesting articles"), e.g.`,
    `  npm run ingest -- story.txt --title "…" --source "…" --published 2025-11-21`,
    config.watchCorpus
      ? '  New articles are picked up while peacedesk runs.'
      : '  Then restart peacedesk (WATCH_CORPUS is off).',
  ];
}

/** What a console surface prints before its first prompt: the corpus, the adapters, skipped files. */
function setupLines(config: Config, core: Core): string[] {
  const articles = core.engine.articles();
  return [
    `peacedesk — ${articles.length} articles, ${core.engine.passageCount} passages (newest ${articles[0]?.published ?? 'none'}).`,
    ...(articles.length ? [] : emptyCorpusHelp(config)),
    ...adapterStatus(config),
    ...describeProblems(core.problems).map((line) => `warning: ${line}`),
  ];
}

/** Options of {@link main}. */
export interface MainOptions {
  /** Builds a missing or stale index snapshot outside this process (see `CoreOptions.buildSnapshot`). */
  buildSnapshot?: CoreOptions['buildSnapshot'];
  /** Computes missing sentence vectors outside this process (`--embed-sentences` in a child). */
  embedElsewhere?: EmbedElsewhere;
}

/** The services of one process, started in order and stopped in reverse; `stopped` settles when they are. */
interface ServiceRunner {
  add(service: Service): void;
  /** Start each in order; on a failure, stop those already running and rethrow. */
  startAll(): Promise<void>;
  stopAll(): Promise<void>;
  /** Settles once {@link ServiceRunner.stopAll} has run to its end (what `main` waits on). */
  readonly stopped: Promise<void>;
}

function createServiceRunner(logger: Logger): ServiceRunner {
  const services: Service[] = [];
  let stopping: Promise<void> | undefined;
  let markStopped = () => {};
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const stopAll = () => {
    stopping ??= (async () => {
      for (const service of [...services].reverse()) {
        await service
          .stop()
          .catch((error: unknown) => logger.error('stop failed', { service: service.name, error }));
      }
      markStopped();
    })();
    return stopping;
  };
  return {
    add: (service) => void services.push(service),
    stopAll,
    stopped,
    async startAll() {
      const started: Service[] = [];
      for (const service of services) {
        try {
          await service.start();
        } catch (error) {
          // Stop what already runs (the chat, a listening port, the database), then report the
          // typed error (it names the setting to check) at the edge.
          logger.error('start failed', { service: service.name, error });
          services.splice(0, services.length, ...started);
          await stopAll();
          throw error;
        }
        started.push(service);
        logger.info('started', { service: service.name });
      }
    },
  };
}

/** `--embed-sentences`: the other end of embedInChild, sentences in over IPC, int8 vectors back. */
async function serveEmbeddingsToParent(config: Config): Promise<number> {
  const encoder = await loadSentenceEncoder(config.semanticModel, createLogger(config.logLevel));
  if (!encoder || !process.send) return 1;
  process.once('disconnect', () => process.exit(0));
  await serveEmbeddings(encoder, {
    onRequest: (listener) => process.on('message', (m) => listener(m as EmbedRequest)),
    reply: (reply) => new Promise((resolve) => process.send!(reply, undefined, {}, () => resolve())),
  });
  // Every reply is handed over (each waited for its send); closing the channel lets the process end.
  process.disconnect();
  return 0;
}

/** Where the process's own stderr output goes: above a console surface's prompt while one runs. */
interface ConsoleOutput {
  toStderr(text: string): void;
  routeThrough(adapter: Adapter): void;
}

function createConsoleOutput(): ConsoleOutput {
  let aboveThePrompt = (write: () => void) => write();
  return {
    toStderr: (text) => aboveThePrompt(() => process.stderr.write(text)),
    routeThrough(adapter) {
      if (adapter.printAbove) aboveThePrompt = (write) => adapter.printAbove!(write);
    },
  };
}

/** What the adapters, the digest and the editors' page share once the database is open. */
interface Shared {
  stores: Stores;
  coverage: ReturnType<typeof createCoverage>;
  links: ReturnType<typeof createLinkAdder>;
  channels: DigestChannel[];
  composer: ReturnType<typeof createDigestComposer>;
}

/** Open the stores (first service: closed last) and build what every surface shares. */
async function openShared(
  config: Config,
  core: Core,
  logger: Logger,
  runner: ServiceRunner,
): Promise<Shared> {
  // Digest channels name the adapters that post them (any registry name but the console's).
  const platforms = ADAPTERS.filter((a) => a.kind === 'service').map((a) => a.name);
  const channels = loadDigestChannels(config.digest.configPath, platforms);
  // Durable state (votes, the question log, delivery dedupe, the document registry, digest runs)
  // for every adapter and the digest. SQLite file by default; PostgreSQL (shared by replicas) when DATABASE_URL is set.
  const stores = await openStores(config);
  logger.info('database opened', { kind: stores.kind, where: stores.where });
  runner.add({ name: 'database', start: async () => {}, stop: () => stores.close() });
  const coverage = createCoverage({ engine: core.engine, insights: stores.insights, logger });
  const links = createLinkAdder({
    corpusDir: config.corpusDir,
    engine: core.engine,
    live: stores.live,
    fetcher: createSafeFetcher(config.fetch),
    logger,
    clock: systemClock,
  });
  const composer = createDigestComposer({
    engine: core.engine,
    documents: stores.documents,
    digests: stores.digests,
    audit: stores.audit,
    coverage,
    corrections: stores.live,
  });
  return { stores, coverage, links, channels, composer };
}

/** Links and feeds (issue 16): feeds are polled on their schedule. */
function addFeeds(config: Config, core: Core, shared: Shared, logger: Logger, runner: ServiceRunner): void {
  const feedsConfig = loadFeedsConfig(config.feeds.configPath);
  if (!feedsConfig.feeds.length) return;
  const { live } = shared.stores;
  const poller = createFeedPoller({
    feeds: feedsConfig.feeds,
    fetcher: createSafeFetcher(config.fetch),
    live,
    ingester: () => createIngester(config.corpusDir, corpusDocuments(core.engine), { live }),
    stats: () => core.engine,
    logger,
    // Without the corpus watcher nothing else would index what the feeds add.
    ...(!config.watchCorpus && { onIngested: (document) => core.engine.upsert(document) }),
  });
  runner.add(
    createFeedService({
      poller,
      schedule: feedsConfig.schedule,
      logger,
      onPoll: (reports) => logger.info('feeds polled', { lines: describeFeedReports(reports) }),
    }),
  );
}

/** Create the chosen adapters from the registry; returns the digest publishers by platform. */
async function addAdapters(
  chosen: readonly AdapterDefinition<never>[],
  base: {
    config: Config;
    core: Core;
    shared: Shared;
    logger: Logger;
    runner: ServiceRunner;
    out: ConsoleOutput;
  },
): Promise<Record<string, DigestPublisher>> {
  const { config, core, shared, logger, runner } = base;
  const context: AdapterContext = {
    engine: core.engine,
    stores: shared.stores,
    logger,
    clock: systemClock,
    coverage: shared.coverage,
    overview: createOverview({
      engine: core.engine,
      audit: shared.stores.audit,
      coverage: shared.coverage,
      channels: shared.channels,
      clock: systemClock,
    }),
    links: shared.links,
    digest: createDigestPreviewer(shared.composer, shared.channels),
    setupLines: setupLines(config, core),
    stdio: {
      input: process.stdin,
      output: process.stdout,
      isTerminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      color: Boolean(process.stdout.isTTY) && !config.noColor,
      columns: () => (process.stdout.isTTY ? process.stdout.columns : undefined),
    },
    requestStop: () => void runner.stopAll(),
  };
  const publishers: Record<string, DigestPublisher> = {};
  for (const definition of chosen) {
    const adapter = await definition.create(config.adapters[definition.name] as never, context);
    runner.add(adapter);
    base.out.routeThrough(adapter);
    if (adapter.publisher) publishers[adapter.platform] = adapter.publisher;
  }
  return publishers;
}

/** Digest (issue 4): the channels in DIGEST_CONFIG, posted by their platform's adapter (or printed to stderr). */
function addDigest(
  config: Config,
  shared: Shared,
  publishers: Record<string, DigestPublisher>,
  logger: Logger,
  runner: ServiceRunner,
  out: ConsoleOutput,
): void {
  if (!shared.channels.length) return;
  runner.add(
    createDigestScheduler({
      channels: shared.channels,
      composer: shared.composer,
      digests: shared.stores.digests,
      publishers,
      // Digest text quotes articles: cleaned of control characters, and wrapped on a terminal.
      fallback: createConsolePublisher((text) =>
        out.toStderr(
          wrapText(stripControlCharacters(text), process.stderr.isTTY ? process.stderr.columns : undefined),
        ),
      ),
      graceMinutes: config.digest.graceMinutes,
      logger,
      // Replicas on one PostgreSQL: one at a time runs the schedule (SQLite: this process).
      ...(shared.stores.leases && { lease: createStoreLease({ leases: shared.stores.leases }) }),
    }),
  );
}

/** Corpus watcher and index snapshot (issue 7): live re-indexing; snapshot kept current. */
function addCorpusWatcher(
  config: Config,
  core: Core,
  shared: Shared,
  logger: Logger,
  runner: ServiceRunner,
): void {
  if (!config.watchCorpus) return;
  const saver = createSnapshotSaver(core.engine, snapshotPath(config.dataDir), logger);
  // Replicas on PostgreSQL mirror their corpus folders through it (README "Running more than one replica").
  const database = shared.stores.postgres;
  const corpusSync =
    database && createPostgresCorpusSync({ ...database, dir: config.corpusDir, logger, clock: systemClock });
  if (corpusSync) runner.add(corpusSync);
  runner.add(saver);
  runner.add(
    createCorpusWatcher({
      dir: config.corpusDir,
      index: core.engine,
      logger,
      onUpdate: (update) => {
        if (update.added.length + update.changed.length + update.removed.length) {
          saver.schedule();
          // Re-asks declined questions when the corpus changes (coverage gaps close).
          shared.coverage.invalidate();
        }
        void corpusSync?.publish(update);
      },
    }),
  );
}

/** Sentence vectors (issue 12): the ones a snapshot lacks, computed while answers go on. */
function addVectorFill(
  config: Config,
  core: Core,
  logger: Logger,
  runner: ServiceRunner,
  elsewhere: EmbedElsewhere | undefined,
): void {
  const engine = core.engine;
  if (!engine.vectors) return;
  runner.add(
    createVectorFillService({
      engine,
      logger,
      ...(elsewhere && { elsewhere }),
      onFilled: () => {
        const documents = engine.articles().map((a) => engine.document(a.docId)!);
        void saveSnapshot(
          snapshotPath(config.dataDir),
          documents,
          engine.exportState(),
          engine.vectors?.exportState(),
        ).then(
          (bytes) => logger.info('index snapshot saved', { bytes, sentenceVectors: engine.vectors?.size }),
          (error: unknown) => logger.warn('index snapshot not saved', { error }),
        );
      },
    }),
  );
}

/**
 * `npm start`: wire the core and every configured service; stop them all on SIGINT/SIGTERM.
 * With `--build-index` it only builds and saves the index snapshot, then exits (what `npm start`
 * runs in a child process when the snapshot is missing or stale; also useful before a deploy).
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  options: MainOptions = {},
): Promise<number> {
  const config = loadConfig(env, configSections(ADAPTERS));
  if (argv.includes('--build-index')) {
    await createCore(config, createLogger(config.logLevel), { snapshot: true });
    return 0;
  }
  if (argv.includes('--embed-sentences')) return serveEmbeddingsToParent(config);
  const chosen = chooseAdapters(config);
  // While a console surface runs, anything printed to stderr (a log line, a digest) goes above its prompt.
  const out = createConsoleOutput();
  // On a console surface, logs below warnings would interleave with the conversation.
  const quiet = chosen.some((a) => a.kind === 'console') && !env.LOG_LEVEL;
  const logger = createLogger(quiet ? 'warn' : config.logLevel, (line) => out.toStderr(`${line}\n`));
  const core = await createCore(config, logger, {
    snapshot: true,
    clock: systemClock,
    semantic: 'later',
    ...(options.buildSnapshot && { buildSnapshot: options.buildSnapshot }),
  });
  const runner = createServiceRunner(logger);
  const shared = await openShared(config, core, logger, runner);
  addFeeds(config, core, shared, logger, runner);
  const publishers = await addAdapters(chosen, { config, core, shared, logger, runner, out });
  addDigest(config, shared, publishers, logger, runner, out);
  // Editors' page (issue 17): served when WEB_PORT is set, on 127.0.0.1 unless WEB_HOST says otherwise.
  if (config.web)
    runner.add(
      createEditorsPage({
        config: config.web,
        coverage: shared.coverage,
        engine: core.engine,
        digests: shared.stores.digests,
        channels: shared.channels,
        logger,
        corpusExtras: corpusExtrasOf(shared.stores.live),
      }),
    );
  addCorpusWatcher(config, core, shared, logger, runner);
  addVectorFill(config, core, logger, runner, options.embedElsewhere);
  readAcronymsInSlices(core.engine);

  await runner.startAll();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void runner.stopAll().then(() => process.exit(0));
    });
  }
  // No timer keeps the process: it waits for the services to be stopped (a signal, or the chat left).
  await runner.stopped;
  return 0;
}

// A local .env is a convenience for `npm start`; real deployments set the environment.
if (existsSync('.env')) process.loadEnvFile('.env');
// From 1,000 articles the build's memory peak (~100 MB at 1k, ~600 MB at 10k) is worth a child process.
runCli(import.meta.url, (argv, env) =>
  main(argv, env, {
    buildSnapshot: { run: () => buildIndexInChild(process.argv[1]!), fromArticles: 1000 },
    embedElsewhere: (texts, onVectors) => embedInChild(process.argv[1]!, texts, onVectors),
  }),
);

/**
 * Read the corpus's acronym table 200 articles (~3,400 sentences, ~12 ms) between events, so no
 * question waits for the whole pass (6 s at 100k articles); until it is done, acronyms are not
 * expanded.
 */
function readAcronymsInSlices(engine: Pick<Core['engine'], 'prepareAcronyms'>): void {
  const step = () => {
    if (!engine.prepareAcronyms(200)) setImmediate(step).unref();
  };
  setImmediate(step).unref();
}
