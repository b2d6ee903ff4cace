import type { Platform } from '../store/types.ts';
import type { DigestChannel } from './channel-config.ts';
import type { DigestComposer } from './compose.ts';
import type { DigestPreviewer } from './types.ts';

/**
 * The digest a channel would get next, composed without posting or recording anything. A channel
 * not in the config still gets a preview (UTC, default options) covering what it has not had.
 */
export function createDigestPreviewer(
  composer: DigestComposer,
  channels: readonly DigestChannel[],
): DigestPreviewer {
  return {
    async preview(platform: Platform, channelId: string) {
      const channel = channels.find((c) => c.platform === platform && c.channelId === channelId);
      const { digest } = await composer.compose({
        platform,
        channelId,
        record: false,
        timeZone: channel?.timeZone ?? 'UTC',
        topQuestions: channel?.topQuestions ?? 3,
        gaps: channel?.gaps ?? 0,
      });
      return digest;
    },
  };
}
