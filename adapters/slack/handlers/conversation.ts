import { answerMessage, type SlackMessage } from '../blocks.ts';
import { refusalMessage, type SlackHandlerContext } from './context.ts';

/** Which Slack conversation a message belongs to: a channel thread, or a DM (as one conversation). */
export function slackThreadId(channel: string, threadTs: string | undefined): string {
  return `${channel}:${threadTs ?? 'dm'}`;
}

/** True when the bot answered in this thread before (its replies then need no mention). */
export async function isBotThread(ctx: SlackHandlerContext, threadId: string): Promise<boolean> {
  return (await ctx.threads?.get('slack', threadId)) !== undefined;
}

/**
 * Answer a message in a conversation through the ask service: the thread's context is read from
 * the store, the engine is asked with what the follow-up inherits (src/threads), and the new
 * context is saved, which also marks the thread as the bot's. A refusal becomes its own message,
 * except the rate limit, which is answered with nothing (null) in a thread, as on Discord.
 */
export async function answerInThread(
  ctx: SlackHandlerContext,
  question: string,
  request: { userId: string; threadId: string; answerId: string; workspaceId?: string | undefined },
): Promise<SlackMessage | null> {
  const { threadId, ...asker } = request;
  const result = await ctx.asks.ask({ platform: 'slack', ...asker }, question, { threadId, save: 'always' });
  if (result.ok) return answerMessage(result.answer, { answerId: request.answerId });
  return result.reason === 'rate-limited' ? null : refusalMessage(result);
}
