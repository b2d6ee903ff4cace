import { questionRecordOf } from '../../../src/coverage/record.ts';
import type { Answer } from '../../../src/engine/types.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import { parseThreadContext } from '../../../src/threads/context.ts';
import { converse } from '../../../src/threads/converse.ts';
import { answerMessage, noticeMessage, type SlackMessage } from '../blocks.ts';
import type { SlackHandlerContext } from './context.ts';

/** Which Slack conversation a message belongs to: a channel thread, or a DM (as one conversation). */
export function slackThreadId(channel: string, threadTs: string | undefined): string {
  return `${channel}:${threadTs ?? 'dm'}`;
}

/** True when the bot answered in this thread before (its replies then need no mention). */
export async function isBotThread(ctx: SlackHandlerContext, threadId: string): Promise<boolean> {
  return (await ctx.threads?.get('slack', threadId)) !== undefined;
}

/**
 * Answer a message in a conversation: the thread's context is read from the store, the engine is
 * asked with what the follow-up inherits (src/threads), and the new context is saved, which also
 * marks the thread as the bot's. Input the engine rejects becomes its own message.
 */
export async function answerInThread(
  ctx: SlackHandlerContext,
  question: string,
  request: { userId: string; threadId: string; answerId: string; workspaceId?: string | undefined },
): Promise<SlackMessage> {
  const started = ctx.clock.now();
  const stored = await ctx.threads?.get('slack', request.threadId);
  let answer: Answer;
  try {
    const turn = await converse(ctx.engine, question, parseThreadContext(stored?.context), started);
    answer = turn.answer;
    await ctx.threads?.save({
      platform: 'slack',
      threadId: request.threadId,
      context: JSON.stringify(turn.context),
      updatedAt: ctx.clock.now(),
    });
  } catch (error) {
    if (isPeacedeskError(error)) return noticeMessage(error.message);
    throw error;
  }
  const message = answerMessage(answer, { answerId: request.answerId });
  await ctx.audit
    .recordQuestion(
      questionRecordOf(answer, {
        platform: 'slack',
        userId: request.userId,
        workspaceId: request.workspaceId,
        answerId: request.answerId,
        started,
        finished: ctx.clock.now(),
      }),
    )
    .catch((error: unknown) => ctx.logger.warn('slack: audit record failed', { error }));
  return message;
}
