import { existsSync } from 'node:fs';
import { REST, type RESTOptions, Routes } from 'discord.js';
import { runCli } from '../../src/cli/run-cli.ts';
import { loadConfig } from '../../src/config.ts';
import { PeacedeskError } from '../../src/errors.ts';
import { loadCommands } from './command.ts';
import { FIND_SOURCES_NAME } from './commands/find-sources.ts';
import { allCommands } from './commands/index.ts';
import { type DiscordConfig, discordConfigSchema } from './config.ts';

/**
 * Commands a reporter can also install for themselves and use anywhere (DMs, other servers):
 * asking and looking up sources. The digest and gaps commands stay with servers that installed the app.
 */
export const USER_INSTALLABLE = new Set(['ask', 'compare', 'timeline', 'sources', FIND_SOURCES_NAME]);
/** Installed to a server (0) and to a user (1); usable in servers (0), the bot's DM (1) and other DMs (2). */
const EVERYWHERE = { integration_types: [0, 1], contexts: [0, 1, 2] };
const SERVER_ONLY = { integration_types: [0], contexts: [0] };

/**
 * Where and what `npm run discord:register` would PUT. Global commands say where they may be
 * installed and used; guild commands cannot (Discord takes those fields on global commands only).
 */
export function registrationRequest(
  applicationId: string,
  guildId: string | undefined,
): { route: `/${string}`; scope: string; body: unknown[] } {
  const data = [...loadCommands(allCommands).values()].map((command) => command.data);
  if (guildId) {
    const body = data.map(({ integration_types: _i, contexts: _c, ...rest }) => rest);
    return {
      route: Routes.applicationGuildCommands(applicationId, guildId),
      scope: `guild ${guildId}`,
      body,
    };
  }
  const body = data.map((command) => ({
    ...command,
    ...(USER_INSTALLABLE.has(command.name) ? EVERYWHERE : SERVER_ONLY),
  }));
  return { route: Routes.applicationCommands(applicationId), scope: 'global', body };
}

/**
 * Replace the application's slash commands with ours: guild-scoped when a guild id is given
 * (updates at once; for development), global otherwise (may take up to an hour to show).
 */
export async function registerCommands(options: {
  token: string;
  applicationId: string;
  guildId: string | undefined;
  restOptions?: Partial<RESTOptions>;
}): Promise<{ scope: string; names: string[] }> {
  const { route, scope, body } = registrationRequest(options.applicationId, options.guildId);
  const rest = new REST(options.restOptions).setToken(options.token);
  const registered = (await rest.put(route, { body })) as Array<{ name: string }>;
  return { scope, names: registered.map((command) => command.name) };
}

/** `npm run discord:register`: reads DISCORD_TOKEN, DISCORD_APPLICATION_ID and optional DISCORD_GUILD_ID. */
export async function main(_argv: string[], env: Record<string, string | undefined>): Promise<number> {
  // A local .env is a convenience, as for `npm start`.
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const discord = loadConfig(env, [{ name: 'discord', schema: discordConfigSchema }]).adapters.discord as
    | DiscordConfig
    | undefined;
  if (!discord?.token || !discord.applicationId) {
    throw new PeacedeskError(
      'usage',
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID for instant, guild-only updates).',
    );
  }
  const result = await registerCommands({
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: discord.guildId,
    restOptions: discord.apiUrl ? { api: discord.apiUrl } : {},
  });
  // Slash commands as typed ("/ask"), message commands as their menu label ("Find sources for this").
  const shown = result.names.map((n) => (/^[-_\p{Ll}\p{N}]+$/u.test(n) ? `/${n}` : `"${n}"`));
  process.stdout.write(`Registered ${shown.join(', ')} (${result.scope}).\n`);
  return 0;
}

runCli(import.meta.url, main);
