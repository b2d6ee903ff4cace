import type { webApi } from '@slack/bolt';
import type { Digest, DigestPublisher } from '../../src/digest/types.ts';
import { digestMessage } from './digest-blocks.ts';

// What to do about the Slack errors a digest post commonly meets.
const HINTS: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel (/invite @peacedesk)',
  channel_not_found: 'check the channel id (e.g. C0123456789) and invite the bot if the channel is private',
  is_archived: 'the channel is archived; pick another one',
};

/**
 * Posts digests to Slack channels with chat.postMessage (scopes `chat:write`, and
 * `chat:write.public` for public channels the bot has not joined).
 */
export function createSlackDigestPublisher(client: webApi.WebClient): DigestPublisher {
  return {
    platform: 'slack',
    async publish(channelId: string, digest: Digest) {
      const message = digestMessage(digest);
      try {
        const result = await client.chat.postMessage({
          channel: channelId,
          ...message,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!result.ts) throw new Error('chat.postMessage returned no message ts');
        return { messageId: result.ts };
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        const hint = code ? HINTS[code] : undefined;
        const reason = code ?? (error instanceof Error ? error.message : String(error));
        throw new Error(
          `Slack: could not post the digest to ${channelId} (${reason})${hint ? `: ${hint}` : ''}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
