import { renderDigestText } from './render-digest.ts';
import type { Digest, DigestPublisher } from './types.ts';

/**
 * A publisher that prints each digest (stdout by default): stands in for a platform whose adapter
 * is not running, so a configured channel's digest is visible and recorded instead of vanishing.
 */
export function createConsolePublisher(
  write: (text: string) => void = (text) => process.stdout.write(text),
): DigestPublisher {
  let count = 0;
  return {
    platform: 'console',
    async publish(channelId: string, digest: Digest) {
      count++;
      write(
        `--- digest for channel ${channelId} (printed by the console publisher) ---\n${renderDigestText(digest)}\n---\n`,
      );
      return { messageId: `console:${digest.until}:${count}` };
    },
  };
}
