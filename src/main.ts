import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { createTerminalChat, type TerminalChat } from './cli/chat.ts';
import { buildIndexInChild, embedInChild } from './cli/index-in-child.ts';
import { runCli } from './cli/run-cli.ts';
import { wrapText } from './cli/wrap-text.ts';
import { systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { stripControlCharacters } from './corpus/control-characters.ts';
import { createIngester } from './corpus/ingest.ts';
import { corpusDocuments, createLinkAdder } from './corpus/link-adder.ts';
import { createCorpusWatcher } from './corpus/watch-corpus.ts';
import { createCoverage } from './coverage/coverage.ts';
import { createOverview } from './coverage/overview.ts';
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
import { createLogger } from './logger.ts';
import { createSnapshotSaver, saveSnapshot, snapshotPath } from './persistence/snapshot.ts';
import { type CoreOptions, createCore, describeProblems } from './runtime.ts';
import { createVectorFillService, type EmbedElsewhere } from './semantic/background-fill.ts';
import { type EmbedRequest, serveEmbeddings } from './semantic/embed-server.ts';
import { loadSentenceEncoder } from './semantic/load-encoder.ts';
import type { Service } from './service.ts';
import { openStores, type Stores } from './store/open-stores.ts';
import { createPostgresCorpusSync } from './store/postgres-corpus.ts';
import type { Platform } from './store/types.ts';
import { createEditorsPage } from './web/server.ts';

/** What each adapter needs to start, for the "which adapters are off" banner. */
function adapterStatus(config: Config): string[] {
  return [
    config.slack
      ? `Slack: on (${config.slack.appToken ? 'Socket Mode' : `HTTP on ${config.slack.host}:${config.slack.port}`})`
      : 'Slack: off (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET to turn it on)',
    config.discord
      ? `Discord: on (${config.discord.mode})`
      : 'Discord: off (set DISCORD_TOKEN, or DISCORD_MODE=http with DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID)',
    config.web
      ? `Editors' page: on (http://${config.web.host}:${config.web.port}/, token WEB_TOKEN)`
      : "Editors' page: off (set WEB_PORT and WEB_TOKEN to turn it on)",
  ];
}

/** A stable id for whoever runs the terminal chat (the audit log keeps only a salted hash of it). */
function localUserId(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local';
  }
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

/** Options of {@link main}. */
export interface MainOptions {
  /** Builds a missing or stale index snapshot outside this process (see `CoreOptions.buildSnapshot`). */
  buildSnapshot?: CoreOptions['buildSnapshot'];
  /** Computes missing sentence vectors outside this process (`--embed-sentences` in a child). */
  embedElsewhere?: EmbedElsewhere;
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
  const config = loadConfig(env);
  if (argv.includes('--build-index')) {
    await createCore(config, createLogger(config.logLevel), { snapshot: true });
    return 0;
  }
  if (argv.includes('--embed-sentences')) {
    // The other end of embedInChild: sentences in over IPC, int8 vectors back.
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
  const chatMode = !config.slack && !config.discord;
  // While the chat runs, anything printed to stderr (a log line, a digest) goes above its prompt.
  let aboveThePrompt = (write: () => void) => write();
  const toStderr = (text: string) => aboveThePrompt(() => process.stderr.write(text));
  // In the terminal chat, logs below warnings would interleave with the conversation.
  const logger = createLogger(chatMode && !env.LOG_LEVEL ? 'warn' : config.logLevel, (line) =>
    toStderr(`${line}\n`),
  );
  const core = await createCore(config, logger, {
    snapshot: true,
    clock: systemClock,
    semantic: 'later',
    ...(options.buildSnapshot && { buildSnapshot: options.buildSnapshot }),
  });

  const services: Service[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      for (const service of [...services].reverse()) {
        await service
          .stop()
          .catch((error: unknown) => logger.error('stop failed', { service: service.name, error }));
      }
    })();
    return stopping;
  };

  const digestChannels = loadDigestChannels(config.digest.configPath);
  // Re-asks declined questions when the corpus changes (coverage gaps close).
  let invalidateCoverage = () => {};
  // Set with DATABASE_URL: the corpus is then shared with the other replicas through it.
  let sharedDatabase: Stores['postgres'];
  {
    // Durable state (votes, the question log, delivery dedupe, the document registry, digest runs)
    // for every adapter, the terminal chat and the digest. Listed first so it is closed last.
    // SQLite file by default; PostgreSQL (shared by replicas) when DATABASE_URL is set.
    const stores = await openStores(config);
    logger.info('database opened', { kind: stores.kind, where: stores.where });
    sharedDatabase = stores.postgres;
    services.push({ name: 'database', start: async () => {}, stop: () => stores.close() });
    const coverage = createCoverage({ engine: core.engine, insights: stores.insights, logger });
    invalidateCoverage = () => coverage.invalidate();

    // --- Links and feeds (issue 16): editors add links from chat; feeds are polled on their schedule. ---
    const feedsConfig = loadFeedsConfig(config.feeds.configPath);
    const fetcher = createSafeFetcher(config.fetch);
    const links = createLinkAdder({
      corpusDir: config.corpusDir,
      engine: core.engine,
      live: stores.live,
      fetcher,
      logger,
      clock: systemClock,
    });
    if (feedsConfig.feeds.length) {
      const poller = createFeedPoller({
        feeds: feedsConfig.feeds,
        fetcher,
        live: stores.live,
        ingester: () => createIngester(config.corpusDir, corpusDocuments(core.engine), { live: stores.live }),
        stats: () => core.engine,
        logger,
        // Without the corpus watcher nothing else would index what the feeds add.
        ...(!config.watchCorpus && { onIngested: (document) => core.engine.upsert(document) }),
      });
      services.push(
        createFeedService({
          poller,
          schedule: feedsConfig.schedule,
          logger,
          onPoll: (reports) => logger.info('feeds polled', { lines: describeFeedReports(reports) }),
        }),
      );
    }

    if (chatMode) {
      const articles = core.engine.articles();
      const chat: TerminalChat = createTerminalChat({
        engine: core.engine,
        input: process.stdin,
        output: process.stdout,
        terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        color: Boolean(process.stdout.isTTY) && !config.noColor,
        columns: () => (process.stdout.isTTY ? process.stdout.columns : undefined),
        audit: stores.audit,
        asksPerMinute: config.chatAsksPerMinute,
        userId: localUserId(),
        logger,
        banner: [
          `peacedesk — ${articles.length} articles, ${core.engine.passageCount} passages (newest ${articles[0]?.published ?? 'none'}).`,
          ...(articles.length ? [] : emptyCorpusHelp(config)),
          ...adapterStatus(config),
          ...describeProblems(core.problems).map((line) => `warning: ${line}`),
          '',
        ],
        onClose: () => void stopAll(),
      });
      services.push(chat);
      aboveThePrompt = (write) => chat.printAbove(write);
    }
    const composer = createDigestComposer({
      engine: core.engine,
      documents: stores.documents,
      digests: stores.digests,
      audit: stores.audit,
      coverage,
      corrections: stores.live,
    });
    const adapterStores = {
      feedback: stores.feedback,
      audit: stores.audit,
      ledger: stores.ledger,
      threads: stores.threads,
    };
    const digestPublishers: Partial<Record<Platform, DigestPublisher>> = {};

    // --- Slack (issue 5): starts when SLACK_BOT_TOKEN is set. ---
    if (config.slack) {
      // Loaded only when needed: Bolt is a heavy import for the terminal chat.
      const { createSlackService } = await import('../adapters/slack/create-slack-service.ts');
      const slack = createSlackService({
        config: config.slack,
        engine: core.engine,
        ...adapterStores,
        // OAuth installs (SLACK_CLIENT_ID): one row per workspace, shared by the replicas.
        installations: stores.installations,
        // Replicas: a question a killed replica was answering is redelivered and answered elsewhere.
        ackAfterAnswer: stores.kind === 'postgres',
        logger,
        clock: systemClock,
        home: {
          editorIds: config.editors.slackIds,
          overview: createOverview({
            engine: core.engine,
            audit: stores.audit,
            coverage,
            channels: digestChannels,
            clock: systemClock,
          }),
        },
        links,
        editorIds: config.editors.slackIds,
      });
      services.push(slack);
      digestPublishers.slack = slack.publisher;
    }

    // --- Discord (issue 6): starts when DISCORD_TOKEN is set (or DISCORD_MODE=http). ---
    if (config.discord) {
      const { createDiscordService } = await import('../adapters/discord/create-discord-service.ts');
      const discord = createDiscordService({
        config: config.discord,
        engine: core.engine,
        ...adapterStores,
        digest: createDigestPreviewer(composer, digestChannels),
        logger,
        clock: systemClock,
        coverage,
        links,
        editorRoleIds: config.editors.discordRoleIds,
      });
      services.push(discord.service);
      digestPublishers.discord = discord.publisher;
    }

    // --- Digest (issue 4): the channels in DIGEST_CONFIG, posted by their platform's adapter
    // (or printed to stderr when that adapter is not running). ---
    if (digestChannels.length) {
      services.push(
        createDigestScheduler({
          channels: digestChannels,
          composer,
          digests: stores.digests,
          publishers: digestPublishers,
          // Digest text quotes articles: cleaned of control characters, and wrapped on a terminal.
          fallback: createConsolePublisher((text) =>
            toStderr(
              wrapText(
                stripControlCharacters(text),
                process.stderr.isTTY ? process.stderr.columns : undefined,
              ),
            ),
          ),
          graceMinutes: config.digest.graceMinutes,
          logger,
          // Replicas on one PostgreSQL: one at a time runs the schedule (SQLite: this process).
          ...(stores.leases && { lease: createStoreLease({ leases: stores.leases }) }),
        }),
      );
    }

    // --- Editors' page (issue 17): served when WEB_PORT is set, on 127.0.0.1 unless WEB_HOST says otherwise. ---
    if (config.web) {
      services.push(
        createEditorsPage({
          config: config.web,
          coverage,
          engine: core.engine,
          digests: stores.digests,
          channels: digestChannels,
          logger,
        }),
      );
    }
  }
  // --- Corpus watcher and index snapshot (issue 7): live re-indexing; snapshot kept current. ---
  if (config.watchCorpus) {
    const saver = createSnapshotSaver(core.engine, snapshotPath(config.dataDir), logger);
    // Replicas on PostgreSQL mirror their corpus folders through it (README "Running more than one replica").
    const corpusSync =
      sharedDatabase &&
      createPostgresCorpusSync({ ...sharedDatabase, dir: config.corpusDir, logger, clock: systemClock });
    if (corpusSync) services.push(corpusSync);
    services.push(
      saver,
      createCorpusWatcher({
        dir: config.corpusDir,
        index: core.engine,
        logger,
        onUpdate: (update) => {
          if (update.added.length + update.changed.length + update.removed.length) {
            saver.schedule();
            invalidateCoverage();
          }
          void corpusSync?.publish(update);
        },
      }),
    );
  }
  // --- end corpus watcher ---
  // --- Sentence vectors (issue 12): the ones a snapshot lacks, computed while answers go on. ---
  if (core.engine.vectors) {
    const engine = core.engine;
    services.push(
      createVectorFillService({
        engine,
        logger,
        ...(options.embedElsewhere && { elsewhere: options.embedElsewhere }),
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void stopAll().then(() => process.exit(0));
    });
  }
  await new Promise<void>((resolve) => {
    const wait = setInterval(() => {
      if (stopping) {
        clearInterval(wait);
        void stopping.then(resolve);
      }
    }, 100);
  });
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
