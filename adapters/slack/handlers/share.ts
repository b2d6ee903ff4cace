import type { RespondFn, webApi } from '@slack/bolt';
import { noticeMessage, type SlackMessage } from '../blocks.ts';
import { POST_OPTIONS } from './context.ts';

// Slack error codes meaning "the bot cannot post there itself" (private channel it is not in, DM).
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found']);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Post `message` publicly in `channel` (a shared answer or sources report), then replace the
 * private original with "Shared in the channel." Where the bot is not a member (a private
 * channel, a DM), the interaction's response_url posts it for the user instead.
 */
export async function shareInChannel(
  client: webApi.WebClient,
  respond: RespondFn,
  channel: string,
  message: SlackMessage,
): Promise<void> {
  try {
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...POST_OPTIONS });
  } catch (error) {
    if (!CANNOT_POST.has(slackErrorCode(error) ?? '')) throw error;
    await respond({ response_type: 'in_channel', replace_original: false, ...message });
  }
  await respond({ replace_original: true, ...noticeMessage('Shared in the channel.') });
}
