import { existsSync } from 'node:fs';
import { REST, type RESTOptions, Routes } from 'discord.js';
import { runCli } from '../../src/cli/run-cli.ts';
import { loadConfig } from '../../src/config.ts';
import { PeacedeskError } from '../../src/errors.ts';
import { loadCommands } from './command.ts';
import { allCommands } from './commands/index.ts';

/** Where and what `npm run discord:register` would PUT. */
export function registrationRequest(
  applicationId: string,
  guildId: string | undefined,
): { route: `/${string}`; scope: string; body: unknown[] } {
  const body = [...loadCommands(allCommands).values()].map((command) => command.data);
  return guildId
    ? { route: Routes.applicationGuildCommands(applicationId, guildId), scope: `guild ${guildId}`, body }
    : { route: Routes.applicationCommands(applicationId), scope: 'global', body };
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
  const config = loadConfig(env);
  const discord = config.discord;
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
  process.stdout.write(`Registered ${result.names.map((n) => `/${n}`).join(', ')} (${result.scope}).\n`);
  return 0;
}

runCli(import.meta.url, main);
