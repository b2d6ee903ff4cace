import { isIP } from 'node:net';
import { z } from 'zod';
import { PeacedeskError } from './errors.ts';
import { LOG_LEVELS } from './logger.ts';

/** An optional setting: trimmed, and empty (as in a copied .env.example) means unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
/** A TCP port (0 picks a free one). */
export const port = z.coerce.number().int().min(0).max(65535);
/** A true/false setting (true/false, 1/0, yes/no, on/off). */
export const flag = z.stringbool();
// The interface an HTTP endpoint listens on: an IP address (127.0.0.1, ::1, 0.0.0.0, ::) or a host name.
/** The interface an HTTP endpoint listens on. */
export const listenHost = z
  .string()
  .trim()
  .regex(
    /^(?:[0-9a-z.-]+|[0-9a-f:.]+)$/i,
    'must be an IP address such as 127.0.0.1 or 0.0.0.0, or a host name',
  );
/** A comma-separated list: "a, b,,c" -> ["a", "b", "c"]. */
export const commaList = z
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

    NO_COLOR: optionalText,
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
    SEMANTIC_MODEL: z.enum(['use-lite', 'off']).default('use-lite'),
  })
  .superRefine((env, ctx) => {
    if (env.WEB_PORT !== undefined && !env.WEB_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_TOKEN'],
        message: "is required when WEB_PORT is set (the editors' page is never served without one)",
      });
    }
  });

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
  /**
   * Each adapter's own settings, by adapter name (see {@link ConfigSection}); a missing or
   * undefined entry means that adapter is off.
   */
  adapters: Readonly<Record<string, unknown>>;
  /** `NO_COLOR` is set (to anything): no ANSI colour or bold in terminal output. */
  noColor: boolean;
  /** Fetching links and feeds: hosts let past the private-address guard, time and size limits. */
  fetch: { allowHosts: string[]; timeoutMs: number; maxBytes: number };
  /** The feeds file (`feeds.config.json`). */
  feeds: { configPath: string };
  /** The editors' web page, present when WEB_PORT is set. */
  web: WebConfig | undefined;
  /** Sentence model for the semantic ranking signal (src/semantic/), or off: ranking is lexical. */
  semanticModel: 'use-lite' | 'off';
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
 * One adapter's part of the environment: a zod schema over the variables it owns (`SLACK_*`),
 * resolving to its settings, or undefined when it is not configured. Adapters bring their own.
 */
export interface ConfigSection {
  readonly name: string;
  readonly schema: z.ZodType;
}

/**
 * Parse the environment into a frozen {@link Config}: the core's settings and each section's
 * (`sections`, the adapters'). The only reader of `process.env`-like data: a bad value throws a
 * PeacedeskError (`invalid_config`) naming each variable and what is wrong, every section's at once.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  sections: readonly ConfigSection[] = [],
): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  const adapters: Record<string, unknown> = {};
  const issues = parsed.success ? [] : [...parsed.error.issues];
  for (const section of sections) {
    const result = section.schema.safeParse(env);
    if (result.success) adapters[section.name] = result.data;
    else issues.push(...result.error.issues);
  }
  if (!parsed.success || issues.length) {
    const problems = issues.map((issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new PeacedeskError('invalid_config', `Invalid configuration:\n${problems.join('\n')}`, {
      variables: issues.map((issue) => issue.path.join('.')),
    });
  }
  const e = parsed.data;
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
    adapters,
    noColor: e.NO_COLOR !== undefined,
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
