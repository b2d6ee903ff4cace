import { z } from 'zod';
import { commaList, flag, listenHost, optionalText, port } from '../../src/config.ts';

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
  /** Role ids whose members are editors (`DISCORD_EDITOR_ROLE_IDS`): they may run /gaps and /add. */
  editorRoleIds?: string[];
}

const snowflake = optionalText.pipe(
  z
    .string()
    .regex(/^\d{17,20}$/, 'must be a numeric snowflake id')
    .optional(),
);

const variables = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  DISCORD_MODE: z.enum(['gateway', 'http']).default('gateway'),
  DISCORD_PUBLIC_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
      .optional(),
  ),
  DISCORD_HTTP_PORT: port.default(8787),
  DISCORD_HTTP_HOST: listenHost.default('127.0.0.1'),
  DISCORD_API_URL: optionalText.pipe(z.url().optional()),
  DISCORD_ASKS_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(6),
  // The privileged Message Content intent: replies in the bot's threads answered without a mention.
  DISCORD_MESSAGE_CONTENT: flag.default(false),
  DISCORD_EDITOR_ROLE_IDS: commaList.pipe(
    z.array(z.string().regex(/^\d{17,20}$/, 'must be numeric Discord role ids')),
  ),
});

/** `DISCORD_*` from the environment: Discord's settings, or undefined when Discord is not configured. */
export const discordConfigSchema = variables
  .superRefine((env, ctx) => {
    if (env.DISCORD_MODE !== 'http') return;
    for (const key of ['DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID'] as const)
      if (!env[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when DISCORD_MODE=http' });
  })
  .transform((e): DiscordConfig | undefined =>
    e.DISCORD_MODE !== 'http' && e.DISCORD_TOKEN === undefined
      ? undefined
      : {
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
          editorRoleIds: e.DISCORD_EDITOR_ROLE_IDS,
        },
  );
