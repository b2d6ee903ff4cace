import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slackConfigSchema } from '../../../adapters/slack/config.ts';
import { FIND_SOURCES_CALLBACK } from '../../../adapters/slack/sources-blocks.ts';

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; usage_hint: string }>;
    app_home: { messages_tab_enabled: boolean; home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
}

describe('slack-app-manifest.yaml', () => {
  it('asks for what the adapter uses: the default command, mentions, DMs, buttons', async () => {
    const manifest = parse(
      await readFile(new URL('../../../slack-app-manifest.yaml', import.meta.url), 'utf8'),
    ) as Manifest;
    const defaults = {
      slack: slackConfigSchema.parse({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }),
    };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([defaults.slack!.command]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'message.channels',
      'message.groups',
      'message.im',
    ]);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history']),
    );
    // Follow-ups in threads, the agent DM's prompts, the message shortcut.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:history', 'groups:history', 'assistant:write']),
    );
    const raw = manifest as unknown as {
      features: { shortcuts: Array<{ type: string; callback_id: string }>; agent_view: object };
    };
    expect(raw.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: FIND_SOURCES_CALLBACK }),
    ]);
    expect(raw.features.agent_view).toBeDefined();
    expect(manifest.features.slash_commands[0]!.usage_hint).toContain('compare <topic>');
    expect(manifest.features.slash_commands[0]!.usage_hint).toContain('timeline [topic] [since <date>]');
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
