import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.ts';

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
    const defaults = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([defaults.slack!.command]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'message.im',
    ]);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history']),
    );
    expect(manifest.features.slash_commands[0]!.usage_hint).toContain('compare <topic>');
    expect(manifest.features.slash_commands[0]!.usage_hint).toContain('timeline [topic] [since <date>]');
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
