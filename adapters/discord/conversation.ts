import type { Answer } from '../../src/engine/types.ts';
import { parseThreadContext } from '../../src/threads/context.ts';
import { converse } from '../../src/threads/converse.ts';
import type { CommandContext } from './command.ts';

/** A thread's name: the question, within Discord's 100 characters. */
export function threadName(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return oneLine.length <= 100 ? oneLine : `${oneLine.slice(0, 99).trimEnd()}…`;
}

/** True when `channelId` is a thread the bot opened (or answered in). */
export async function isBotThread(context: CommandContext, channelId: string | null): Promise<boolean> {
  return channelId !== null && (await context.threads?.get('discord', channelId)) !== undefined;
}

/**
 * Answer a question in a conversation: in one of the bot's threads with the thread's context
 * (src/threads), which is then saved; elsewhere as a first question. The engine is called here
 * only. Throws what the engine throws for bad input (PeacedeskError).
 */
export async function answerInConversation(
  context: CommandContext,
  question: string,
  threadId: string | null,
): Promise<{ answer: Answer; save(threadId: string): Promise<void> }> {
  const stored = threadId ? await context.threads?.get('discord', threadId) : undefined;
  const turn = await converse(
    context.engine,
    question,
    parseThreadContext(stored?.context),
    context.clock.now(),
  );
  const save = async (id: string) => {
    await context.threads?.save({
      platform: 'discord',
      threadId: id,
      context: JSON.stringify(turn.context),
      updatedAt: context.clock.now(),
    });
  };
  if (threadId && stored) await save(threadId);
  return { answer: turn.answer, save };
}
