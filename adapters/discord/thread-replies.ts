import { type REST, Routes } from 'discord.js';
import type { DeliveryLedger } from '../../src/store/types.ts';
import type { CommandContext } from './command.ts';
import { isBotThread } from './conversation.ts';
import { answerMessage, escapeMarkdown } from './embeds.ts';
import { NO_MENTIONS } from './gateway.ts';

/** The fields of a gateway MESSAGE_CREATE the bot reads. */
export interface IncomingThreadMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  content?: string;
  author?: { id: string; bot?: boolean };
  /** 0 a plain message, 19 a reply; other types (joins, pins, thread starters) are not questions. */
  type?: number;
}

const QUESTION_TYPES = new Set([0, 19]);

/**
 * Follow-ups in the bot's threads: a message there is answered with the thread's context, once
 * (the delivery ledger), never pinging anyone. Without the Message Content intent Discord sends
 * the text only of messages that mention the bot; others arrive empty and are left alone.
 */
export function createThreadReplies(deps: {
  context: CommandContext;
  ledger: DeliveryLedger;
  rest: REST;
  /** The bot's user id, known once connected. */
  botUserId: () => string | undefined;
}): (message: IncomingThreadMessage) => Promise<void> {
  const { context, ledger, rest } = deps;
  return async (message) => {
    const botId = deps.botUserId();
    if (!message.author || message.author.bot || message.author.id === botId) return;
    if (!QUESTION_TYPES.has(message.type ?? 0)) return;
    const text = (message.content ?? '').replace(/<@!?\d+>/g, ' ').trim();
    if (text === '' || !(await isBotThread(context, message.channel_id))) return;
    if (!(await ledger.claim(`discord:message:${message.id}`))) return;
    const result = await context.asks.ask(
      { platform: 'discord', userId: message.author.id, answerId: message.id },
      text,
      { threadId: message.channel_id, save: 'known' },
    );
    if (!result.ok && result.reason === 'rate-limited') return;
    const payload = result.ok
      ? answerMessage(result.answer, message.id)
      : { content: escapeMarkdown(result.reason === 'invalid' ? result.message : result.text) };
    await rest.post(Routes.channelMessages(message.channel_id), {
      body: {
        ...payload,
        allowed_mentions: { ...NO_MENTIONS, replied_user: false },
        message_reference: { message_id: message.id, fail_if_not_exists: false },
      },
    });
  };
}
