import type { DiscordConfig } from '../adapters/discord/config.ts';
import { ADAPTERS } from '../adapters/registry.ts';
import type { SlackConfig } from '../adapters/slack/config.ts';
import { configSections } from '../src/adapter.ts';
import { loadConfig } from '../src/config.ts';

/** `loadConfig` with every registered adapter's section, Slack's and Discord's under their old names. */
export function loadConfigWithAdapters(env: Record<string, string | undefined>) {
  const config = loadConfig(env, configSections(ADAPTERS));
  return Object.freeze({
    ...config,
    slack: config.adapters.slack as SlackConfig | undefined,
    discord: config.adapters.discord as DiscordConfig | undefined,
  });
}

/** The editor ids each adapter read (with both adapters switched on, since they are read only then). */
export function editorsOf(env: Record<string, string | undefined>) {
  const on = { SLACK_BOT_TOKEN: 'xoxb-t', SLACK_APP_TOKEN: 'xapp-t', DISCORD_TOKEN: 't', ...env };
  const config = loadConfigWithAdapters(on);
  return { slackIds: config.slack?.editorIds, discordRoleIds: config.discord?.editorRoleIds };
}
