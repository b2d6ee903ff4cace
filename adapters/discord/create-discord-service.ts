import { Client, Events, GatewayIntentBits, REST, type RESTOptions } from 'discord.js';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { DiscordConfig } from '../../src/config.ts';
import type { LinkAdder } from '../../src/corpus/link-adder.ts';
import type { Coverage } from '../../src/coverage/coverage.ts';
import type { DigestPreviewer, DigestPublisher } from '../../src/digest/types.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { listenError } from '../../src/listen-error.ts';
import type { Logger } from '../../src/logger.ts';
import type { Service } from '../../src/service.ts';
import type { AuditLog, DeliveryLedger, FeedbackStore } from '../../src/store/types.ts';
import { type CommandContext, loadCommands } from './command.ts';
import { allCommands } from './commands/index.ts';
import { createDigestPublisher } from './digest-publisher.ts';
import { createDispatcher } from './dispatch.ts';
import { NO_MENTIONS, routeGatewayInteraction } from './gateway.ts';
import { createInteractionsServer } from './http-interactions.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createSuggester } from './suggest.ts';

/** Everything the Discord adapter needs, injected. */
export interface DiscordServiceOptions {
  config: DiscordConfig;
  engine: Engine;
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  /** Composes `/digest` previews; without one, `/digest` says digests are not set up. */
  digest: DigestPreviewer | undefined;
  logger: Logger;
  clock: Clock;
  /** Extra discord.js REST options (tests: `retries: 0`). `config.apiUrl` sets `api`. */
  restOptions?: Partial<RESTOptions>;
  /** Adds articles from links (`/add`); without it `/add` says adding is not set up. */
  links?: LinkAdder | undefined;
  /** Interface for the HTTP interactions endpoint (default: `config.httpHost`). */
  httpHost?: string;
  /** What signed requests' timestamps are checked against (default: the wall clock). */
  signatureClock?: Clock;
  /** Coverage gaps for `/gaps`. */
  coverage?: Pick<Coverage, 'gaps'>;
  /** Role ids whose members are editors (may run `/gaps`). */
  editorRoleIds?: readonly string[];
}

/** The Discord service; in HTTP mode `url` is the interactions endpoint once started. */
export interface DiscordService extends Service {
  readonly url: string | undefined;
}

const REMEMBERED_ANSWERS = 5000;

/**
 * The Discord adapter: slash commands over the gateway (default) or an HTTP interactions
 * endpoint, plus a publisher that posts digests to channels. Commands are never registered here
 * (`npm run discord:register` does that).
 */
export function createDiscordService(options: DiscordServiceOptions): {
  service: DiscordService;
  publisher: DigestPublisher;
} {
  const { config, logger } = options;
  const restOptions: Partial<RESTOptions> = {
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    ...options.restOptions,
  };
  const rest = new REST(restOptions);
  if (config.token) rest.setToken(config.token);

  const answers = new Map<string, string>();
  const context: CommandContext = {
    engine: options.engine,
    audit: options.audit,
    digest: options.digest,
    limiter: createRateLimiter({ limit: config.asksPerMinute, clock: options.clock }),
    suggest: createSuggester(options.engine),
    clock: options.clock,
    logger,
    coverage: options.coverage,
    links: options.links,
    editorRoleIds: options.editorRoleIds ?? [],
    rememberAnswer(answerId, question) {
      answers.set(answerId, question);
      if (answers.size > REMEMBERED_ANSWERS) answers.delete(answers.keys().next().value!);
    },
  };
  const dispatcher = createDispatcher({
    commands: loadCommands(allCommands),
    context,
    feedback: options.feedback,
    ledger: options.ledger,
    logger,
    questionOf: (answerId) => answers.get(answerId),
  });
  const publisher = createDigestPublisher(rest, config.token !== undefined);

  if (config.mode === 'http') {
    if (!config.publicKey) throw new Error('Discord: DISCORD_PUBLIC_KEY is required when DISCORD_MODE=http');
    const host = options.httpHost ?? config.httpHost;
    const server = createInteractionsServer({
      publicKey: config.publicKey,
      port: config.httpPort,
      host,
      clock: options.signatureClock ?? systemClock,
      dispatcher,
      rest,
      logger,
    });
    return {
      publisher,
      service: {
        name: 'discord',
        get url() {
          return server.url;
        },
        start: async () => {
          try {
            await server.start();
          } catch (error) {
            throw listenError(error, 'DISCORD_HTTP_PORT', 'DISCORD_HTTP_HOST', config.httpPort, host);
          }
          logger.info('discord interactions endpoint listening', { url: server.url });
        },
        stop: () => server.stop(),
      },
    };
  }

  const token = config.token;
  let client: Client | undefined;
  const inFlight = new Set<Promise<void>>();
  return {
    publisher,
    service: {
      name: 'discord',
      url: undefined,
      async start() {
        if (!token) throw new Error('Discord: DISCORD_TOKEN is required in gateway mode');
        const started = new Client({
          intents: [GatewayIntentBits.Guilds],
          rest: restOptions,
          allowedMentions: NO_MENTIONS,
        });
        client = started;
        // Without an 'error' listener an exception in a handler would end the process.
        started.on(Events.Error, (error) => logger.error('discord client error', { error }));
        started.on(Events.ShardError, (error, shardId) =>
          logger.error('discord shard error', { error, shardId }),
        );
        started.on(Events.InteractionCreate, (interaction) => {
          const task = routeGatewayInteraction(interaction, dispatcher)
            .catch((error: unknown) =>
              logger.error('discord interaction failed', { id: interaction.id, error }),
            )
            .finally(() => inFlight.delete(task));
          inFlight.add(task);
        });
        const ready = new Promise<void>((resolve) => started.once(Events.ClientReady, () => resolve()));
        await started.login(token);
        await ready;
        logger.info('discord connected', { user: started.user?.tag });
      },
      async stop() {
        await Promise.allSettled([...inFlight]);
        await client?.destroy();
        client = undefined;
      },
    },
  };
}
