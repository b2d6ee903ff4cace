import type { App, webApi } from '@slack/bolt';
import { APOLOGY_MESSAGE } from '../../../src/messages/index.ts';
import { noticeMessage, type SlackMessage } from '../blocks.ts';
import { slackToPlain } from '../escape.ts';
import { POST_OPTIONS, type SlackHandlerContext } from './context.ts';
import { answerInThread, isBotThread, slackThreadId } from './conversation.ts';

/** The fields of a message or app_mention event the bot reads. */
interface IncomingMessage {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

// Edits, deletions, joins and the like are not questions.
const QUESTION_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'bot_message']);

/** True when the bot should answer this message at all (not its own, not a bot's unless allowed). */
function isQuestion(ctx: SlackHandlerContext, message: IncomingMessage): boolean {
  if (!QUESTION_SUBTYPES.has(message.subtype)) return false;
  if (message.user === ctx.bot.userId || (message.bot_id && message.bot_id === ctx.bot.botId)) return false;
  if ((message.bot_id || message.subtype === 'bot_message') && !ctx.config.answerBots) return false;
  return true;
}

async function answerMessageEvent(
  ctx: SlackHandlerContext,
  client: webApi.WebClient,
  envelope: { event_id?: string; team_id?: string },
  message: IncomingMessage,
  threadTs: string | undefined,
): Promise<void> {
  const eventId = envelope.event_id;
  if (!isQuestion(ctx, message)) return;
  // Slack redelivers events it thinks were missed, and one message can arrive as two event types.
  if (eventId && !(await ctx.ledger.claim(`slack:event:${eventId}`))) return;
  if (!(await ctx.ledger.claim(`slack:message:${message.channel}:${message.ts}`))) return;

  const post = (reply: SlackMessage) =>
    client.chat.postMessage({
      channel: message.channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: reply.text,
      blocks: reply.blocks,
      ...POST_OPTIONS,
    });
  await ctx.track(
    message.type,
    async () => {
      const question = slackToPlain(message.text ?? '', ctx.bot.userId);
      const reply = await answerInThread(ctx, question, {
        userId: message.user ?? message.bot_id ?? 'unknown',
        threadId: slackThreadId(message.channel, threadTs),
        answerId: `${message.channel}-${message.ts}`,
        workspaceId: envelope.team_id,
      });
      if (reply) await post(reply);
    },
    () => post(noticeMessage(APOLOGY_MESSAGE)),
  );
}

/** True when the message mentions the bot: then app_mention answers it (once), not the message event. */
const mentionsBot = (ctx: SlackHandlerContext, message: IncomingMessage) =>
  (message.text ?? '').includes(`<@${ctx.bot.userId}`);

/**
 * A mention in a channel is answered in its thread (or a new thread under it); a DM in the DM.
 * In a channel thread the bot answered in, later replies are answered without a mention.
 */
export function registerMessageHandlers(app: App, ctx: SlackHandlerContext): void {
  app.event('app_mention', async ({ event, body, client }) => {
    const message = event as unknown as IncomingMessage;
    await answerMessageEvent(ctx, client, body, message, message.thread_ts ?? message.ts);
  });
  app.event('message', async ({ event, body, client }) => {
    const message = event as unknown as IncomingMessage;
    if (message.channel_type === 'im') {
      await answerMessageEvent(ctx, client, body, message, message.thread_ts);
      return;
    }
    // Elsewhere only replies in the bot's own threads, and not those that mention it (app_mention has them).
    if (message.channel_type !== 'channel' && message.channel_type !== 'group') return;
    if (!message.thread_ts || message.thread_ts === message.ts || mentionsBot(ctx, message)) return;
    // Bots talking in a thread are never answered there (two bots could answer each other for ever).
    if (message.bot_id || !isQuestion(ctx, message)) return;
    if (!(await isBotThread(ctx, slackThreadId(message.channel, message.thread_ts)))) return;
    await answerMessageEvent(ctx, client, body, message, message.thread_ts);
  });
}
