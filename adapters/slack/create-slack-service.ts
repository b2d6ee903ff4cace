import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import { type Clock, systemClock } from '../../src/clock.ts';
import { createAskService, DEFAULT_ASKS_PER_MINUTE } from '../../src/conversation/ask-service.ts';
import type { DigestPublisher } from '../../src/digest/types.ts';
import { PeacedeskError } from '../../src/errors.ts';
import { listenError } from '../../src/listen-error.ts';
import type { Service } from '../../src/service.ts';
import type { InstallationStore } from '../../src/store/types.ts';
import { toBoltLogger } from './bolt-logger.ts';
import { createSlackDigestPublisher } from './digest-publisher.ts';
import { registerActionHandlers } from './handlers/actions.ts';
import { registerAgentHandler } from './handlers/agent.ts';
import { registerCommandHandler } from './handlers/command.ts';
import type { SlackDependencies, SlackHandlerContext } from './handlers/context.ts';
import { registerFindSourcesHandlers } from './handlers/find-sources.ts';
import { registerHomeHandler } from './handlers/home.ts';
import { registerMessageHandlers } from './handlers/messages.ts';
import {
  createBoltInstallationStore,
  createWorkspaceDigestPublisher,
  registerUninstallHandlers,
  SLACK_BOT_SCOPES,
} from './oauth.ts';

/**
 * Web API retries. A 429 makes the client wait out Retry-After and then throw for a retry, so
 * `retries` must be at least 1 for rate limits to be honoured (Bolt's default retries for ~30 min).
 */
export const DEFAULT_RETRY_CONFIG = { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5_000 } as const;

/** Options of {@link createSlackService}. */
export interface SlackServiceOptions extends SlackDependencies {
  /** Overrides for the Web API clients (tests point `slackApiUrl` at a fake server). */
  clientOptions?: webApi.WebClientOptions;
  /** Socket Mode: how long to wait for a pong before reconnecting, in ms (default 5,000). */
  socketPingTimeoutMs?: number;
  /** Socket Mode: first wait before reconnecting a dropped connection, doubling up to 60 s (default 1,000 ms). */
  reconnectDelayMs?: number;
  /** HTTP mode: what signed requests' timestamps are checked against (default: the wall clock, as Bolt's own check). */
  signatureClock?: Clock;
  /** Where OAuth installs are kept (required with `config.oauth`: many workspaces). */
  installations?: InstallationStore;
  /**
   * HTTP mode: acknowledge an event only once it is answered, so Slack redelivers (to another
   * replica) what a killed replica was still answering. On with PostgreSQL, whose ledger lets that
   * redelivery take over the dead replica's claim. Default false: acknowledge at once.
   */
  ackAfterAnswer?: boolean;
}

/** The Slack adapter: a long-running service plus the publisher digests post through. */
export interface SlackService extends Service {
  readonly publisher: DigestPublisher;
  /** HTTP mode, once started: where the events endpoint listens (`/slack/events`). */
  address(): AddressInfo | undefined;
}

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked']);
/** How far a request's signed timestamp may be from now, either way, before it is refused (Slack's guide: 5 min). */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;
const SLACK_API = 'https://slack.com/api/';

/** A Web API call that never reached Slack (DNS, refused, TLS, timeout) as a typed error naming the settings. */
function unreachable(error: unknown, apiUrl: string | undefined): unknown {
  if ((error as { code?: string }).code !== 'slack_webapi_request_error') return error;
  const reason = (error as { original?: Error }).original?.message ?? (error as Error).message;
  return new PeacedeskError(
    'service_unreachable',
    `Cannot reach Slack at ${apiUrl ? `SLACK_API_URL=${apiUrl}` : `${SLACK_API} (SLACK_API_URL unset)`}: ${reason}. Check the network and the token (SLACK_BOT_TOKEN).`,
    { setting: 'SLACK_API_URL' },
  );
}

/** Who the bot is (auth.test), or a typed error: a rejected token, or a Slack that cannot be reached. */
async function signInBot(
  client: webApi.WebClient,
  apiUrl: string | undefined,
): Promise<{ userId: string; botId: string }> {
  try {
    const auth = await client.auth.test();
    if (!auth.user_id || !auth.bot_id)
      throw new Error('auth.test returned no bot user (is this a bot token?)');
    return { userId: auth.user_id, botId: auth.bot_id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && AUTH_ERRORS.has(code)) {
      throw new PeacedeskError('invalid_config', `Slack rejected SLACK_BOT_TOKEN (${code}).`);
    }
    throw unreachable(error, apiUrl);
  }
}

/** Runs handler bodies: catches and logs what they throw, apologises, and keeps them for `stop()` to wait on. */
function createTracker(logger: SlackServiceOptions['logger']) {
  const inFlight = new Set<Promise<void>>();
  const track: SlackHandlerContext['track'] = (name, work, apologise) => {
    const run = (async () => {
      try {
        await work();
      } catch (error) {
        logger.error('slack: handler failed', { handler: name, error });
        await apologise().catch((apologyError: unknown) =>
          logger.error('slack: could not send the apology', { handler: name, error: apologyError }),
        );
      }
    })();
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  };
  return { track, inFlight };
}

/** Socket Mode: reconnection is done by the service (with backoff), not by the client. */
function createSocketReceiver(
  appToken: string,
  options: SlackServiceOptions,
  boltLogger: ReturnType<typeof toBoltLogger>,
  clientOptions: () => webApi.WebClientOptions,
): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken,
    logger: boltLogger,
    autoReconnectEnabled: false,
    ...(options.socketPingTimeoutMs ? { clientPingTimeout: options.socketPingTimeoutMs } : {}),
    installerOptions: { clientOptions: clientOptions() },
  });
}

/** HTTP Events API (with OAuth installs when configured), refusing signed requests dated too far from now. */
function createHttpReceiver(
  config: SlackServiceOptions['config'],
  options: SlackServiceOptions,
  boltLogger: ReturnType<typeof toBoltLogger>,
  clientOptions: () => webApi.WebClientOptions,
): HTTPReceiver {
  if (!config.signingSecret) {
    throw new PeacedeskError('invalid_config', 'SLACK_SIGNING_SECRET is required for HTTP mode.');
  }
  const installations = options.installations;
  const http = new HTTPReceiver({
    signingSecret: config.signingSecret,
    logger: boltLogger,
    port: config.port,
    ...(options.ackAfterAnswer && { processBeforeResponse: true }),
    // Many workspaces: "Add to Slack" at /slack/install, the callback at /slack/oauth_redirect.
    ...(config.oauth &&
      installations && {
        clientId: config.oauth.clientId,
        clientSecret: config.oauth.clientSecret,
        stateSecret: config.oauth.stateSecret,
        ...(config.oauth.redirectUri && { redirectUri: config.oauth.redirectUri }),
        scopes: SLACK_BOT_SCOPES,
        installationStore: createBoltInstallationStore(installations, options.clock, options.logger),
        installerOptions: {
          installPath: '/slack/install',
          redirectUriPath: '/slack/oauth_redirect',
          clientOptions: clientOptions(),
        },
      }),
  });
  // Bolt refuses old timestamps only; a signed request dated in the future is refused here.
  const boltListener = http.requestListener;
  const signatureClock = options.signatureClock ?? systemClock;
  http.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const skew = Math.abs(signatureClock.now().getTime() / 1000 - Number(header));
    if (header !== undefined && !(skew <= MAX_TIMESTAMP_SKEW_SECONDS)) {
      options.logger.warn('slack: request timestamp too far from now; refused', { timestamp: header });
      res.writeHead(401).end();
      return;
    }
    boltListener(req, res);
  };
  return http;
}

/** Every Slack surface: mentions, DMs and thread replies, the command, buttons, App Home, shortcuts, the agent DM. */
function registerHandlers(app: App, ctx: SlackHandlerContext): void {
  registerMessageHandlers(app, ctx);
  registerCommandHandler(app, ctx);
  registerActionHandlers(app, ctx);
  registerHomeHandler(app, ctx);
  registerFindSourcesHandlers(app, ctx);
  registerAgentHandler(app, ctx);
}

/** Fresh Web API client options (Bolt mutates the ones it is given, so every client gets its own). */
function clientOptionsFactory(
  options: SlackServiceOptions,
  boltLogger: ReturnType<typeof toBoltLogger>,
): () => webApi.WebClientOptions {
  const { apiUrl } = options.config;
  return () => ({
    logger: boltLogger,
    retryConfig: { ...DEFAULT_RETRY_CONFIG },
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    ...options.clientOptions,
  });
}

/** With OAuth installs, who "the bot" is depends on the workspace of the event being handled. */
function createWorkspaceBot() {
  const eventBot = new AsyncLocalStorage<{ userId: string; botId: string }>();
  const bot = {
    get userId() {
      return eventBot.getStore()?.userId ?? '';
    },
    get botId() {
      return eventBot.getStore()?.botId ?? '';
    },
  };
  return { eventBot, bot };
}

/**
 * Socket Mode reconnection with backoff and a log line. The client's own reconnection lets a
 * failed apps.connections.open escape as an unhandled rejection (a crash), so it is done here.
 */
function createReconnector(logger: SlackServiceOptions['logger'], firstDelayMs = 1000) {
  let stopping = false;
  let reconnecting = false;
  let timer: NodeJS.Timeout | undefined;
  const reconnect = async (receiver: SocketModeReceiver) => {
    if (reconnecting || stopping) return;
    reconnecting = true;
    for (let attempt = 1; !stopping; attempt++) {
      const wait = Math.min(60_000, firstDelayMs * 2 ** (attempt - 1));
      logger.warn('slack: connection lost, reconnecting', { attempt, inMs: wait });
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, wait);
      });
      if (stopping) break;
      try {
        await receiver.client.start();
        logger.info('slack: reconnected (Socket Mode)', { attempt });
        break;
      } catch (error) {
        logger.error('slack: reconnect failed', { attempt, error });
      }
    }
    reconnecting = false;
  };
  return {
    reconnect,
    resume() {
      stopping = false;
    },
    stop() {
      stopping = true;
      clearTimeout(timer);
    },
  };
}

/** The Bolt app over `receiver`, with the workspace's bot per event (OAuth), the error log and every handler. */
function createBoltApp(
  options: SlackServiceOptions,
  receiver: SocketModeReceiver | HTTPReceiver,
  ctx: SlackHandlerContext,
  setup: { boltLogger: ReturnType<typeof toBoltLogger>; clientOptions: () => webApi.WebClientOptions },
  eventBot: ReturnType<typeof createWorkspaceBot>['eventBot'],
): App {
  const { config, logger, installations } = options;
  const app = new App({
    receiver,
    ...(config.oauth ? {} : { token: config.botToken, botId: ctx.bot.botId, botUserId: ctx.bot.userId }),
    logger: setup.boltLogger,
    clientOptions: setup.clientOptions(),
  });
  if (config.oauth && installations) {
    app.use(async ({ context, next }) =>
      eventBot.run({ userId: context.botUserId ?? '', botId: context.botId ?? '' }, next),
    );
    registerUninstallHandlers(app, installations, logger);
  }
  // The last line of defence: handlers catch their own errors, this only logs what escapes.
  app.error(async (error) => {
    logger.error('slack: unhandled error', { code: error.code, error });
  });
  registerHandlers(app, ctx);
  return app;
}

/** HTTP mode: listen on the configured host and port, or a typed error naming them. */
async function listenHttp(app: App, config: SlackServiceOptions['config']): Promise<Server> {
  try {
    return (await app.start({ port: config.port, host: config.host })) as Server;
  } catch (error) {
    throw listenError(error, 'SLACK_PORT', 'SLACK_HOST', config.port, config.host);
  }
}

/** Socket Mode: connect (a Slack that cannot be reached becomes a typed error) and reconnect on drops. */
async function startSocketMode(
  app: App,
  receiver: SocketModeReceiver,
  reconnector: ReturnType<typeof createReconnector>,
  options: SlackServiceOptions,
): Promise<void> {
  await app.start().catch((error: unknown) => {
    throw unreachable(error, options.config.apiUrl);
  });
  receiver.client.on('disconnected', () => void reconnector.reconnect(receiver));
}

/** Stop taking events: disconnect the socket, or close the HTTP server (idle connections at once). */
async function stopTakingEvents(
  app: App,
  socketReceiver: SocketModeReceiver | undefined,
  server: Server | undefined,
): Promise<void> {
  if (socketReceiver) {
    await socketReceiver.client.disconnect();
    return;
  }
  const closed = app.stop();
  server?.closeIdleConnections();
  await closed;
}

/** What the service is made of: the ask service, Bolt's logger, the Web API client and the digest publisher. */
function createSlackParts(options: SlackServiceOptions) {
  const { config, logger, installations } = options;
  const asks = createAskService({
    engine: options.engine,
    audit: options.audit,
    clock: options.clock,
    logger,
    threads: options.threads,
    asksPerMinute: { slack: config.asksPerMinute ?? DEFAULT_ASKS_PER_MINUTE },
  });
  const boltLogger = toBoltLogger(logger);
  const clientOptions = clientOptionsFactory(options, boltLogger);
  const client = new webApi.WebClient(config.botToken, clientOptions());
  // With OAuth installs each workspace has its own token: digests go out with the channel's.
  const publisher =
    config.oauth && installations
      ? createWorkspaceDigestPublisher(installations, clientOptions)
      : createSlackDigestPublisher(client);
  return { asks, boltLogger, clientOptions, client, publisher };
}

/**
 * The Slack adapter: Socket Mode when `config.appToken` is set, the HTTP Events API otherwise.
 * Mentions, DMs and the slash command become `engine.answer` calls; answers become Block Kit.
 */
export function createSlackService(options: SlackServiceOptions): SlackService {
  const { config, logger, installations } = options;
  const { asks, boltLogger, clientOptions, client, publisher } = createSlackParts(options);
  const workspace = createWorkspaceBot();
  const reconnector = createReconnector(logger, options.reconnectDelayMs);
  const { track, inFlight } = createTracker(logger);

  let app: App | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let server: Server | undefined;

  return {
    name: 'slack',
    publisher,
    address: () => (server?.address() as AddressInfo | null) ?? undefined,

    async start() {
      if (config.oauth && !installations)
        throw new PeacedeskError(
          'invalid_config',
          'Slack OAuth installs need a database for the installations.',
        );
      const bot = config.oauth ? workspace.bot : await signInBot(client, config.apiUrl);
      const ctx: SlackHandlerContext = { ...options, asks, bot, track };
      reconnector.resume();
      socketReceiver = config.appToken
        ? createSocketReceiver(config.appToken, options, boltLogger, clientOptions)
        : undefined;
      const receiver = socketReceiver ?? createHttpReceiver(config, options, boltLogger, clientOptions);
      app = createBoltApp(options, receiver, ctx, { boltLogger, clientOptions }, workspace.eventBot);

      if (socketReceiver) {
        await startSocketMode(app, socketReceiver, reconnector, options);
        logger.info('slack: connected (Socket Mode)', { bot: bot.userId });
        return;
      }
      server = await listenHttp(app, config).catch((error: unknown) => {
        app = undefined;
        throw error;
      });
      logger.info('slack: listening (HTTP Events API)', {
        host: this.address()?.address,
        port: this.address()?.port,
        path: '/slack/events',
      });
    },

    async stop() {
      if (!app) return;
      const running = app;
      app = undefined;
      reconnector.stop();
      const receiver = socketReceiver;
      const listening = server;
      socketReceiver = undefined;
      server = undefined;
      await stopTakingEvents(running, receiver, listening);
      // Then let answers already being written finish.
      await Promise.allSettled([...inFlight]);
    },
  };
}
