import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTIONS, answerMessage, decodeButtonValue, noticeMessage } from '../blocks.ts';
import { APOLOGY, POST_OPTIONS, type SlackHandlerContext } from './context.ts';
import { downVoteReply, registerCommentHandlers } from './feedback-comment.ts';

// Slack error codes meaning "the bot cannot post there itself" (private channel it is not in, DM).
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found']);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** 👍/👎 record (or change) the user's vote; "Share in channel" posts a private answer publicly. */
export function registerActionHandlers(app: App, ctx: SlackHandlerContext): void {
  registerCommentHandlers(app, ctx);
  for (const [actionId, value] of [
    [ACTIONS.voteUp, 'up'],
    [ACTIONS.voteDown, 'down'],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      await ctx.track(
        'vote',
        async () => {
          const button = decodeButtonValue(action.value);
          if (!button) {
            ctx.logger.warn('slack: vote button without a readable value', { value: action.value });
            return;
          }
          const tally = await ctx.feedback.recordVote({
            platform: 'slack',
            answerId: button.answerId,
            userId: body.user.id,
            value,
            question: button.question,
          });
          const thanks = `Thanks, your ${value === 'up' ? '👍' : '👎'} is recorded (👍 ${tally.up} · 👎 ${tally.down}).`;
          if (value === 'up') await say(thanks);
          // A 👎 offers a comment: what was wrong is what editors can act on.
          else
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...downVoteReply(thanks, button),
            });
        },
        () => say(APOLOGY),
      );
    });
  }

  app.action<BlockButtonAction>(ACTIONS.share, async ({ ack, body, action, respond, client }) => {
    await ack();
    await ctx.track(
      'share',
      async () => {
        const button = decodeButtonValue(action.value);
        const channel = body.channel?.id ?? body.container?.channel_id;
        if (!button || !channel) {
          ctx.logger.warn('slack: share button without a readable value or channel', { value: action.value });
          return;
        }
        // A double click would post the answer twice.
        if (!(await ctx.ledger.claim(`slack:share:${button.answerId}`))) return;
        // The answer given is re-posted as it was; asked again only when it is no longer kept.
        const kept = ctx.asks.recall(button.answerId)?.answer;
        const message = answerMessage(kept ?? (await ctx.engine.answerAsync(button.question)), {
          answerId: button.answerId,
          sharedBy: body.user.id,
        });
        try {
          await client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            ...POST_OPTIONS,
          });
        } catch (error) {
          if (!CANNOT_POST.has(slackErrorCode(error) ?? '')) throw error;
          // Where the bot is not a member, the interaction's response_url can still post for the user.
          await respond({
            response_type: 'in_channel',
            replace_original: false,
            ...message,
          });
        }
        await respond({
          replace_original: true,
          ...noticeMessage('Shared in the channel.'),
        });
      },
      () => respond({ response_type: 'ephemeral', replace_original: false, text: APOLOGY }),
    );
  });
}
