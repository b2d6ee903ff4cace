import { z } from 'zod';
import { commaList, flag, listenHost, optionalText, port } from '../../src/config.ts';

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
  /** Slack user ids (U…, W…) and user-group ids (S…) of editors (`SLACK_EDITOR_IDS`). */
  editorIds?: string[];
}

const variables = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must start with "xoxb-"').optional()),
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must start with "xapp-"').optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_PORT: port.default(3000),
  SLACK_HOST: listenHost.default('127.0.0.1'),
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
  // Editors see coverage gaps on the App Home and may add articles.
  SLACK_EDITOR_IDS: commaList.pipe(
    z.array(
      z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'must be Slack user ids (U…, W…) or user-group ids (S…)'),
    ),
  ),
});

type SlackVariables = z.infer<typeof variables>;

/** The settings that must come together: a mode's secret, OAuth's four keys and no single token. */
function checkCombinations(env: SlackVariables, ctx: z.RefinementCtx): void {
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
}

/** `SLACK_*` from the environment: Slack's settings, or undefined when Slack is not configured. */
export const slackConfigSchema = variables
  .superRefine(checkCombinations)
  .transform((e): SlackConfig | undefined =>
    // One workspace by its bot token, or many by OAuth installs (SLACK_CLIENT_ID).
    e.SLACK_BOT_TOKEN === undefined && e.SLACK_CLIENT_ID === undefined
      ? undefined
      : {
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
          editorIds: e.SLACK_EDITOR_IDS,
        },
  );
