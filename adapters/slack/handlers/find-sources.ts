import type { App, BlockButtonAction, MessageShortcut } from '@slack/bolt';
import { findSources } from '../../../src/conversation/index.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import { APOLOGY_MESSAGE } from '../../../src/messages/index.ts';
import { noticeMessage, type SlackMessage } from '../blocks.ts';
import { slackToPlain } from '../escape.ts';
import {
  decodeSourcesValue,
  FIND_SOURCES_CALLBACK,
  SHARE_SOURCES_ACTION,
  sourcesReportMessage,
} from '../sources-blocks.ts';
import type { SlackHandlerContext } from './context.ts';
import { shareInChannel } from './share.ts';

/** Look up the passages for a message's claims; input the core rejects becomes its own message. */
async function sourcesMessage(
  ctx: SlackHandlerContext,
  text: string,
  options: { shareable: boolean; shared?: boolean },
): Promise<SlackMessage> {
  try {
    return sourcesReportMessage(await findSources(ctx.engine, text), { text, ...options });
  } catch (error) {
    if (isPeacedeskError(error)) return noticeMessage(error.message);
    throw error;
  }
}

/**
 * The "Find sources for this" message shortcut: the passages for each claim of the message,
 * privately (response_url, ephemeral), with a button that shares the report in the channel.
 */
export function registerFindSourcesHandlers(app: App, ctx: SlackHandlerContext): void {
  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: FIND_SOURCES_CALLBACK },
    async ({ ack, shortcut, respond }) => {
      await ack();
      const reply = (message: SlackMessage) =>
        respond({ response_type: 'ephemeral', replace_original: false, ...message });
      await ctx.track(
        'find_sources',
        async () => {
          // A shortcut clicked twice on the same message by the same user answers once.
          const key = `slack:find-sources:${shortcut.channel.id}:${shortcut.message_ts}:${shortcut.user.id}`;
          if (!(await ctx.ledger.claim(key))) return;
          const text = slackToPlain(shortcut.message.text ?? '', ctx.bot.userId);
          await reply(await sourcesMessage(ctx, text, { shareable: true }));
        },
        () => reply(noticeMessage(APOLOGY_MESSAGE)),
      );
    },
  );

  app.action<BlockButtonAction>(SHARE_SOURCES_ACTION, async ({ ack, body, action, respond, client }) => {
    await ack();
    await ctx.track(
      'share_sources',
      async () => {
        const text = decodeSourcesValue(action.value);
        const channel = body.channel?.id ?? body.container?.channel_id;
        if (text === undefined || !channel) {
          ctx.logger.warn('slack: sources share button without a readable value or channel');
          return;
        }
        // A double click would post the report twice: one share per private report.
        const origin = body.container?.message_ts ?? body.container?.action_ts ?? action.action_ts;
        if (!(await ctx.ledger.claim(`slack:share-sources:${channel}:${body.user.id}:${origin}`))) return;
        const message = await sourcesMessage(ctx, text, { shareable: false, shared: true });
        await shareInChannel(client, respond, channel, message);
      },
      () => respond({ response_type: 'ephemeral', replace_original: false, text: APOLOGY_MESSAGE }),
    );
  });
}
