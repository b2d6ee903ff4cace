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
