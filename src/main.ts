import { existsSync } from 'node:fs';
import { createDiscordService } from '../adapters/discord/create-discord-service.ts';
import { createTerminalChat } from './cli/chat.ts';
import { runCli } from './cli/run-cli.ts';
import { systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createCore, describeProblems } from './runtime.ts';
import type { Service } from './service.ts';
import { createMemoryStores } from './store/memory-store.ts';

/** What each adapter needs to start, for the "which adapters are off" banner. */
function adapterStatus(config: Config): string[] {
  return [
    config.slack
      ? `Slack: on (${config.slack.appToken ? 'Socket Mode' : `HTTP on port ${config.slack.port}`})`
      : 'Slack: off (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET to turn it on)',
    config.discord
      ? `Discord: on (${config.discord.mode})`
      : 'Discord: off (set DISCORD_TOKEN, or DISCORD_MODE=http with DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID)',
  ];
}

/** `npm start`: wire the core and every configured service; stop them all on SIGINT/SIGTERM. */
export async function main(_argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const config = loadConfig(env);
  const chatMode = !config.slack && !config.discord;
  // In the terminal chat, logs below warnings would interleave with the conversation.
  const logger = createLogger(chatMode && !env.LOG_LEVEL ? 'warn' : config.logLevel);
  const core = await createCore(config, logger);

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

  if (chatMode) {
    const articles = core.engine.articles();
    services.push(
      createTerminalChat({
        engine: core.engine,
        input: process.stdin,
        output: process.stdout,
        color: Boolean(process.stdout.isTTY),
        banner: [
          `peacedesk — ${articles.length} articles, ${core.engine.passageCount} passages (newest ${articles[0]?.published ?? 'none'}).`,
          ...adapterStatus(config),
          ...describeProblems(core.problems).map((line) => `warning: ${line}`),
          '',
        ],
        onClose: () => void stopAll(),
      }),
    );
  }

  // One set of stores for every adapter (in memory until the SQLite stores are wired here).
  const stores = createMemoryStores({
    ...(config.auditSalt ? { salt: config.auditSalt } : {}),
    clock: systemClock,
  });

  // --- Slack (issue 5): starts when SLACK_BOT_TOKEN is set; its publisher posts Slack digests. ---
  if (config.slack) {
    // Loaded only when needed: Bolt is a heavy import for the terminal chat.
    const { createSlackService } = await import('../adapters/slack/create-slack-service.ts');
    services.push(
      createSlackService({
        config: config.slack,
        engine: core.engine,
        ...stores,
        logger,
        clock: systemClock,
      }),
    );
  }

  // --- Discord (issue 6): starts when DISCORD_TOKEN is set (or DISCORD_MODE=http). ---
  if (config.discord) {
    const discord = createDiscordService({
      config: config.discord,
      engine: core.engine,
      ...stores,
      digest: undefined,
      logger,
      clock: systemClock,
    });
    services.push(discord.service);
  }

  for (const service of services) {
    await service.start();
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
runCli(import.meta.url, main);
