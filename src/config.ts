import { isIP } from 'node:net';
import { z } from 'zod';
import { PeacedeskError } from './errors.ts';
import { LOG_LEVELS } from './logger.ts';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const port = z.coerce.number().int().min(0).max(65535);
const flag = z.stringbool();
// The interface an HTTP endpoint listens on: an IP address (127.0.0.1, ::1, 0.0.0.0, ::) or a host name.
const listenHost = z
  .string()
  .trim()
  .regex(
    /^(?:[0-9a-z.-]+|[0-9a-f:.]+)$/i,
    'must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name',
  );
// "a, b,,c" -> ["a", "b", "c"]
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

// FETCH_ALLOW_HOSTS entries: a host name, an IP, or an IP with a prefix length its family allows.
function isHostOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (rest.length) return false;
  if (prefix !== undefined)
    return family !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  return (
    family !== 0 ||
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(
      address,
    )
  );
}

/** The environment variables peacedesk reads, with defaults. `.env.example` documents each. */
const envSchema = z
  .object({
    CORPUS_DIR: z.string().trim().min(1).default('corpus'),
    DATA_DIR: z.string().trim().min(1).default('data'),
    DATABASE_PATH: optionalText,
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(
          /^postgres(ql)?:\/\/[^\s]+$/,
          'must be a postgres:// URL (postgres://user:password@host:5432/db)',
        )
        .optional(),
    ),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    MAX_CITATIONS: z.coerce.number().int().min(1).max(10).default(3),
    WATCH_CORPUS: flag.default(true),
    AUDIT_SALT: optionalText,
    DIGEST_CONFIG: z.string().trim().min(1).default('digest.config.json'),
    DIGEST_GRACE_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(360),

    SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must start with "xoxb-"').optional()),
    SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must start with "xapp-"').optional()),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_PORT: port.default(3000),
    SLACK_COMMAND: z
      .string()
      .trim()
      .regex(/^\/[a-z0-9_-]{1,31}$/, 'must be a slash command such as /peacedesk')
      .default('/peacedesk'),
    SLACK_ANSWER_BOTS: flag.default(false),
    SLACK_API_URL: optionalText.pipe(z.url().optional()),
    SLACK_ASKS_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(6),
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    SLACK_REDIRECT_URI: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),

    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{17,20}$/, 'must be a numeric snowflake id')
        .optional(),
    ),
    DISCORD_GUILD_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{17,20}$/, 'must be a numeric snowflake id')
        .optional(),
    ),
    DISCORD_MODE: z.enum(['gateway', 'http']).default('gateway'),
    DISCORD_PUBLIC_KEY: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
        .optional(),
    ),
    DISCORD_HTTP_PORT: port.default(8787),
    DISCORD_API_URL: optionalText.pipe(z.url().optional()),
    DISCORD_ASKS_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(6),
    // The privileged Message Content intent: replies in the bot's threads answered without a mention.
    DISCORD_MESSAGE_CONTENT: flag.default(false),

    SLACK_HOST: listenHost.default('127.0.0.1'),
    DISCORD_HTTP_HOST: listenHost.default('127.0.0.1'),
    NO_COLOR: optionalText,
    CHAT_ASKS_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(30),
    // The editors' web page: off unless WEB_PORT is set.
    WEB_PORT: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'must be a port number')
        .transform(Number)
        .pipe(z.number().int().max(65535))
        .optional(),
    ),
    WEB_HOST: z.string().trim().min(1).default('127.0.0.1'),
    WEB_TOKEN: optionalText.pipe(
      z.string().min(24, 'must be at least 24 characters (e.g. openssl rand -hex 24)').optional(),
    ),
    // Links and feeds (issue 16).
    FETCH_ALLOW_HOSTS: commaList.pipe(
      z.array(
        z.string().refine(isHostOrRange, {
          error: (issue) =>
            `"${String(issue.input)}" is not a host name, an IP address or a CIDR range (10.0.0.0/8)`,
        }),
      ),
    ),
    FETCH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
    FETCH_MAX_BYTES: z.coerce.number().int().min(10_000).max(100_000_000).default(5_000_000),
    FEEDS_CONFIG: z.string().trim().min(1).default('feeds.config.json'),
    // Editors see coverage gaps and may add articles: Slack user/user-group ids, Discord role ids.
    SLACK_EDITOR_IDS: commaList.pipe(
      z.array(
        z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'must be Slack user ids (U…, W…) or user-group ids (S…)'),
      ),
    ),
    DISCORD_EDITOR_ROLE_IDS: commaList.pipe(
      z.array(z.string().regex(/^\d{17,20}$/, 'must be numeric Discord role ids')),
    ),
    SEMANTIC_MODEL: z.enum(['use-lite', 'off']).default('use-lite'),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN is set (Socket Mode)',
      });
    }
    const oauth = env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET;
    if (oauth) {
      // Many workspaces: HTTP mode with OAuth installs, each workspace's token from the database.
      for (const key of [
        'SLACK_CLIENT_ID',
        'SLACK_CLIENT_SECRET',
        'SLACK_STATE_SECRET',
        'SLACK_SIGNING_SECRET',
      ] as const)
        if (!env[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required for OAuth installs (SLACK_CLIENT_ID)',
          });
      for (const key of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'] as const)
        if (env[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'must be empty with SLACK_CLIENT_ID: OAuth installs bring one token per workspace',
          });
    }
    if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN && !oauth) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'is required to start Slack (xoxb-…)',
      });
    }
    if (env.DISCORD_MODE === 'http') {
      for (const key of ['DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID'] as const) {
        if (!env[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when DISCORD_MODE=http' });
      }
    }
    if (env.WEB_PORT !== undefined && !env.WEB_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_TOKEN'],
        message: "is required when WEB_PORT is set (the editors' page is never served without one)",
      });
    }
  });

/** Slack OAuth settings: one deployment installed in many workspaces (HTTP mode). */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state`, so a callback is only accepted for an install started here. */
  stateSecret: string;
  /** The OAuth redirect URL, when the app has several (default: the one set in the app's settings). */
  redirectUri: string | undefined;
}

/** Slack settings, present when Slack is configured. */
export interface SlackConfig {
  /** The single workspace's bot token; empty with `oauth` (each workspace's token is in the database). */
  botToken: string;
  /** Socket Mode when set; HTTP Events API otherwise. */
  appToken: string | undefined;
  signingSecret: string | undefined;
  port: number;
  /** Interface the HTTP mode endpoint listens on (`SLACK_HOST`). */
  host: string;
  command: string;
  answerBots: boolean;
  apiUrl: string | undefined;
  /** Set with SLACK_CLIENT_ID: OAuth installs in many workspaces instead of one bot token. */
  oauth?: SlackOAuthConfig | undefined;
  /** Questions one user may ask per minute (`SLACK_ASKS_PER_MINUTE`, default 6). */
  asksPerMinute?: number;
}

/** Discord settings, present when Discord is configured. */
export interface DiscordConfig {
  mode: 'gateway' | 'http';
  token: string | undefined;
  applicationId: string | undefined;
  guildId: string | undefined;
  publicKey: string | undefined;
  httpPort: number;
  apiUrl: string | undefined;
  asksPerMinute: number;
  /** Interface the HTTP interactions endpoint listens on (`DISCORD_HTTP_HOST`). */
  httpHost: string;
  /**
   * Ask for the privileged Message Content intent (`DISCORD_MESSAGE_CONTENT`), so every reply in
   * the bot's threads is answered; without it only replies that mention the bot carry their text.
   */
  messageContent?: boolean;
}

/** The whole configuration, parsed once at start-up and frozen. */
export interface Config {
  corpusDir: string;
  dataDir: string;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file when set: state shared by several replicas. */
  databaseUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  maxCitations: number;
  watchCorpus: boolean;
  /** Salt for hashing user ids in the audit log; without it, a random per-database salt is used. */
  auditSalt: string | undefined;
  digest: { configPath: string; graceMinutes: number };
  slack: SlackConfig | undefined;
  discord: DiscordConfig | undefined;
  /** `NO_COLOR` is set (to anything): no ANSI colour or bold in terminal output. */
  noColor: boolean;
  /** Questions per minute in the terminal chat (`CHAT_ASKS_PER_MINUTE`, default 30). */
  chatAsksPerMinute: number;
  /** Who counts as an editor (coverage gaps, adding articles). */
  editors: EditorsConfig;
  /** Fetching links and feeds: hosts let past the private-address guard, time and size limits. */
  fetch: { allowHosts: string[]; timeoutMs: number; maxBytes: number };
  /** The feeds file (`feeds.config.json`). */
  feeds: { configPath: string };
  /** The editors' web page, present when WEB_PORT is set. */
  web: WebConfig | undefined;
  /** Sentence model for the semantic ranking signal (src/semantic/), or off: ranking is lexical. */
  semanticModel: 'use-lite' | 'off';
}

/** Editors, by platform. */
export interface EditorsConfig {
  /** Slack user ids (U…, W…) and user-group ids (S…) (SLACK_EDITOR_IDS). */
  slackIds: string[];
  /** Discord role ids (DISCORD_EDITOR_ROLE_IDS): a member with any of them is an editor. */
  discordRoleIds: string[];
}

/** The editors' web page settings. */
export interface WebConfig {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless configured. */
  host: string;
  /** Shared secret for the page (header or login form). */
  token: string;
}

/**
 * Parse the environment into a frozen {@link Config}. The only reader of `process.env`-like data:
 * a bad value throws a PeacedeskError (`invalid_config`) naming each variable and what is wrong.
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new PeacedeskError('invalid_config', `Invalid configuration:\n${problems.join('\n')}`, {
      variables: parsed.error.issues.map((issue) => issue.path.join('.')),
    });
  }
  const e = parsed.data;
  const discordEnabled = e.DISCORD_MODE === 'http' || e.DISCORD_TOKEN !== undefined;
  // One workspace by its bot token, or many by OAuth installs (SLACK_CLIENT_ID).
  const slackEnabled = e.SLACK_BOT_TOKEN !== undefined || e.SLACK_CLIENT_ID !== undefined;
  return deepFreeze({
    corpusDir: e.CORPUS_DIR,
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_PATH ?? `${e.DATA_DIR}/peacedesk.db`,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    maxCitations: e.MAX_CITATIONS,
    watchCorpus: e.WATCH_CORPUS,
    auditSalt: e.AUDIT_SALT,
    digest: { configPath: e.DIGEST_CONFIG, graceMinutes: e.DIGEST_GRACE_MINUTES },
    slack: slackEnabled
      ? {
          botToken: e.SLACK_BOT_TOKEN ?? '',
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          port: e.SLACK_PORT,
          host: e.SLACK_HOST,
          command: e.SLACK_COMMAND,
          answerBots: e.SLACK_ANSWER_BOTS,
          apiUrl: e.SLACK_API_URL,
          asksPerMinute: e.SLACK_ASKS_PER_MINUTE,
          oauth: e.SLACK_CLIENT_ID
            ? {
                clientId: e.SLACK_CLIENT_ID,
                clientSecret: e.SLACK_CLIENT_SECRET!,
                stateSecret: e.SLACK_STATE_SECRET!,
                redirectUri: e.SLACK_REDIRECT_URI,
              }
            : undefined,
        }
      : undefined,
    discord: discordEnabled
      ? {
          mode: e.DISCORD_MODE,
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          guildId: e.DISCORD_GUILD_ID,
          publicKey: e.DISCORD_PUBLIC_KEY,
          httpPort: e.DISCORD_HTTP_PORT,
          apiUrl: e.DISCORD_API_URL,
          asksPerMinute: e.DISCORD_ASKS_PER_MINUTE,
          httpHost: e.DISCORD_HTTP_HOST,
          messageContent: e.DISCORD_MESSAGE_CONTENT,
        }
      : undefined,
    noColor: e.NO_COLOR !== undefined,
    chatAsksPerMinute: e.CHAT_ASKS_PER_MINUTE,
    web:
      e.WEB_PORT !== undefined && e.WEB_TOKEN
        ? { port: e.WEB_PORT, host: e.WEB_HOST, token: e.WEB_TOKEN }
        : undefined,
    fetch: {
      allowHosts: e.FETCH_ALLOW_HOSTS,
      timeoutMs: Math.round(e.FETCH_TIMEOUT_SECONDS * 1000),
      maxBytes: e.FETCH_MAX_BYTES,
    },
    feeds: { configPath: e.FEEDS_CONFIG },
    editors: { slackIds: e.SLACK_EDITOR_IDS, discordRoleIds: e.DISCORD_EDITOR_ROLE_IDS },
    semanticModel: e.SEMANTIC_MODEL,
  });
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
