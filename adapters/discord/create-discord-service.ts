import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  REST,
  type RESTOptions,
  Routes,
} from 'discord.js';
import type { Engine } from '../../src/answering/engine.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { type AskService, createAskService } from '../../src/conversation/ask-service.ts';
import { createRateLimiter } from '../../src/conversation/rate-limit.ts';
import type { LinkAdder } from '../../src/corpus/link-adder.ts';
import type { Coverage } from '../../src/coverage/coverage.ts';
import type { DigestPreviewer, DigestPublisher } from '../../src/digest/types.ts';
import type { SourcesReport } from '../../src/find-sources/find-sources.ts';
import { listenError } from '../../src/listen-error.ts';
import type { Logger } from '../../src/logger.ts';
import { SHARE_FORGOTTEN_MESSAGE } from '../../src/messages/index.ts';
import type { Service } from '../../src/service.ts';
import type { AuditLog, DeliveryLedger, FeedbackStore, ThreadStore } from '../../src/store/types.ts';
import { type ButtonPress, type CommandContext, loadCommands } from './command.ts';
import { allCommands } from './commands/index.ts';
import type { DiscordConfig } from './config.ts';
import { createDigestPublisher } from './digest-publisher.ts';
import { createDispatcher, type Dispatcher } from './dispatch.ts';
import { answerMessage } from './embeds.ts';
import { NO_MENTIONS, routeGatewayInteraction } from './gateway.ts';
import { createInteractionsServer } from './http-interactions.ts';
import { sourcesReportMessage } from './sources-reply.ts';
import { createSuggester } from './suggest.ts';
import { createThreadReplies, type IncomingThreadMessage } from './thread-replies.ts';

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
  /** The threads the bot opened under public answers; without it no thread is opened. */
  threads?: ThreadStore;
}

/** The Discord service; in HTTP mode `url` is the interactions endpoint once started. */
export interface DiscordService extends Service {
  readonly url: string | undefined;
}

const REMEMBERED_ANSWERS = 5000;

/** The reports shown privately, so Share re-posts what the reporter saw instead of looking it up again. */
function createSourcesSharing(ledger: DiscordServiceOptions['ledger']) {
  const lookups = new Map<string, SourcesReport>();
  return {
    remember(lookupId: string, report: SourcesReport) {
      lookups.set(lookupId, report);
      if (lookups.size > REMEMBERED_ANSWERS) lookups.delete(lookups.keys().next().value!);
    },
    // Share a private "find sources" report in the channel, once however often the button is pressed.
    async share(press: ButtonPress, lookupId: string) {
      const report = lookups.get(lookupId);
      if (report === undefined) {
        await press.reply(
          { content: 'That lookup is no longer kept; run "Find sources for this" again.' },
          { ephemeral: true },
        );
        return;
      }
      if (!(await ledger.claim(`discord:sources-share:${lookupId}`))) {
        await press.reply({ content: 'Already shared.' }, { ephemeral: true });
        return;
      }
      await press.reply(sourcesReportMessage(report, { shared: true }), { ephemeral: false });
    },
  };
}

/**
 * Share a private answer in the channel: the answer given, from the ask service's memory (never
 * asked again), once however often the button is pressed.
 */
function createAnswerSharing(asks: Pick<AskService, 'recall'>, ledger: DiscordServiceOptions['ledger']) {
  return async (press: ButtonPress, answerId: string) => {
    const kept = asks.recall(answerId);
    if (kept === undefined) {
      await press.reply({ content: SHARE_FORGOTTEN_MESSAGE }, { ephemeral: true });
      return;
    }
    if (!(await ledger.claim(`discord:answer-share:${answerId}`))) {
      await press.reply({ content: 'Already shared.' }, { ephemeral: true });
      return;
    }
    await press.reply(answerMessage(kept.answer, answerId, { sharedBy: press.userId }), { ephemeral: false });
  };
}

/** The context every command gets, and how a private "find sources" report is shared once. */
function createCommandContext(options: DiscordServiceOptions, rest: REST) {
  const { config, logger } = options;
  const sources = createSourcesSharing(options.ledger);
  const limiter = createRateLimiter({ limit: config.asksPerMinute, clock: options.clock });
  const asks = createAskService({
    engine: options.engine,
    audit: options.audit,
    clock: options.clock,
    logger,
    threads: options.threads,
    asksPerMinute: {},
    limiters: { discord: limiter },
  });
  const context: CommandContext = {
    engine: options.engine,
    audit: options.audit,
    digest: options.digest,
    asks,
    limiter,
    suggest: createSuggester(options.engine),
    clock: options.clock,
    logger,
    coverage: options.coverage,
    links: options.links,
    editorRoleIds: options.editorRoleIds ?? [],
    ...(options.threads && {
      threads: options.threads,
      async startThread(channelId: string, messageId: string, name: string) {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: 1440 },
        })) as { id?: string };
        return thread.id;
      },
    }),
    rememberSources: sources.remember,
  };
  return { context, asks, shareSources: sources.share };
}

/** HTTP interactions mode: the endpoint Discord POSTs to (`DISCORD_MODE=http`). */
function createHttpService(
  options: DiscordServiceOptions,
  dispatcher: Dispatcher,
  rest: REST,
): DiscordService {
  const { config, logger } = options;
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
  };
}

type GatewayParts = {
  dispatcher: Dispatcher;
  rest: REST;
  restOptions: Partial<RESTOptions>;
  context: CommandContext;
};

/** A discord.js Client with the intents the bot needs, never pinging anyone. */
function createGatewayClient(
  config: DiscordServiceOptions['config'],
  restOptions: Partial<RESTOptions>,
): Client {
  return new Client({
    // GuildMessages brings replies in the bot's threads; their text comes with mentions of
    // the bot, or with every reply when the privileged Message Content intent is allowed.
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      ...(config.messageContent ? [GatewayIntentBits.MessageContent] : []),
    ],
    rest: restOptions,
    allowedMentions: NO_MENTIONS,
  });
}

/** Client events to handlers: errors logged, thread messages and interactions run as tracked tasks. */
function listenToGateway(
  client: Client,
  options: DiscordServiceOptions,
  parts: GatewayParts,
  track: (task: () => Promise<void>, onError: (error: unknown) => void) => void,
): void {
  const { logger } = options;
  // Without an 'error' listener an exception in a handler would end the process.
  client.on(Events.Error, (error) => logger.error('discord client error', { error }));
  client.on(Events.ShardError, (error, shardId) => logger.error('discord shard error', { error, shardId }));
  const threadReply = createThreadReplies({
    context: parts.context,
    ledger: options.ledger,
    rest: parts.rest,
    botUserId: () => client.user?.id,
  });
  // Raw packets: a thread message arrives even when its channel is not cached.
  client.on(Events.Raw, (packet: { t?: string; d?: unknown }) => {
    if (packet.t !== GatewayDispatchEvents.MessageCreate || !options.threads) return;
    const message = packet.d as IncomingThreadMessage;
    track(
      () => threadReply(message),
      (error) => logger.error('discord thread reply failed', { id: message.id, error }),
    );
  });
  client.on(Events.InteractionCreate, (interaction) =>
    track(
      () => routeGatewayInteraction(interaction, parts.dispatcher),
      (error) => logger.error('discord interaction failed', { id: interaction.id, error }),
    ),
  );
}

/** Gateway mode: the discord.js Client, its interactions and the replies in the bot's threads. */
function createGatewayService(options: DiscordServiceOptions, parts: GatewayParts): DiscordService {
  const { config, logger } = options;
  const token = config.token;
  let client: Client | undefined;
  const inFlight = new Set<Promise<void>>();
  const track = (work: () => Promise<void>, onError: (error: unknown) => void) => {
    const task = work()
      .catch(onError)
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  return {
    name: 'discord',
    url: undefined,
    async start() {
      if (!token) throw new Error('Discord: DISCORD_TOKEN is required in gateway mode');
      const started = createGatewayClient(config, parts.restOptions);
      client = started;
      listenToGateway(started, options, parts, track);
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
  };
}

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
  const { context, asks, shareSources } = createCommandContext(options, rest);
  const dispatcher = createDispatcher({
    commands: loadCommands(allCommands),
    context,
    feedback: options.feedback,
    ledger: options.ledger,
    logger,
    questionOf: (answerId) => asks.recall(answerId)?.question,
    shareSources,
    shareAnswer: createAnswerSharing(asks, options.ledger),
  });
  const publisher = createDigestPublisher(rest, config.token !== undefined);
  const service =
    config.mode === 'http'
      ? createHttpService(options, dispatcher, rest)
      : createGatewayService(options, { dispatcher, rest, restOptions, context });
  return { service, publisher };
}
