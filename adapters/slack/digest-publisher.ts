import type { webApi } from '@slack/bolt';
import type { Digest, DigestPublisher } from '../../src/digest/types.ts';
import { digestMessage } from './digest-blocks.ts';

/** Posts digests to Slack channels with chat.postMessage (the bot needs chat:write, and chat:write.public for channels it has not joined). */
export function createSlackDigestPublisher(client: webApi.WebClient): DigestPublisher {
  return {
    platform: 'slack',
    async publish(channelId: string, digest: Digest) {
      const message = digestMessage(digest);
      const result = await client.chat.postMessage({
        channel: channelId,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!result.ts) throw new Error(`Slack: chat.postMessage to ${channelId} returned no message ts`);
      return { messageId: result.ts };
    },
  };
}
