import type { AdapterDefinition } from '../../src/adapter.ts';
import { type DiscordConfig, discordConfigSchema } from './config.ts';

/** Discord (discord.js): the gateway with DISCORD_TOKEN, or an HTTP interactions endpoint (DISCORD_MODE=http). */
export const discordAdapter: AdapterDefinition<DiscordConfig> = {
  name: 'discord',
  config: discordConfigSchema,
  kind: 'service',
  describe: (config) =>
    config
      ? `Discord: on (${config.mode})`
      : 'Discord: off (set DISCORD_TOKEN, or DISCORD_MODE=http with DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID)',
  async create(config, context) {
    const { createDiscordService } = await import('./create-discord-service.ts');
    const { stores } = context;
    const { service, publisher } = createDiscordService({
      config,
      engine: context.engine,
      feedback: stores.feedback,
      audit: stores.audit,
      ledger: stores.ledger,
      threads: stores.threads,
      digest: context.digest,
      logger: context.logger,
      clock: context.clock,
      coverage: context.coverage,
      links: context.links,
      editorRoleIds: config.editorRoleIds ?? [],
    });
    return {
      name: service.name,
      platform: 'discord',
      publisher,
      start: () => service.start(),
      stop: () => service.stop(),
      endpoint: () => service.url,
    };
  },
};
