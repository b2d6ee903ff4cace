import { type REST, Routes } from 'discord.js';
import type { Digest, DigestPublisher } from '../../src/digest/types.ts';
import { digestMessages } from './embeds.ts';

/**
 * Posts digests to Discord channels over REST (needs the bot token and the bot's Send Messages and
 * Embed Links permissions in the channel). A digest too big for one message becomes several.
 */
export function createDigestPublisher(rest: REST, hasToken: boolean): DigestPublisher {
  return {
    platform: 'discord',
    async publish(channelId: string, digest: Digest) {
      if (!hasToken) throw new Error('Discord: set DISCORD_TOKEN to post digests (the bot posts them)');
      if (!/^\d{17,20}$/.test(channelId))
        throw new Error(`Discord: channel id must be a snowflake: ${channelId}`);
      let first: string | undefined;
      for (const payload of digestMessages(digest)) {
        const message = (await rest.post(Routes.channelMessages(channelId), {
          body: { ...payload, allowed_mentions: { parse: [] } },
        })) as { id: string };
        first ??= message.id;
      }
      return { messageId: first ?? '' };
    },
  };
}
