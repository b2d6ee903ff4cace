import type { App, BlockButtonAction } from '@slack/bolt';
import { APOLOGY_MESSAGE, voteRecordedMessage } from '../../../src/messages/index.ts';
import { ACTIONS, answerMessage, decodeButtonValue } from '../blocks.ts';
import type { SlackHandlerContext } from './context.ts';
import { downVoteReply, registerCommentHandlers } from './feedback-comment.ts';
import { shareInChannel } from './share.ts';

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
          const thanks = voteRecordedMessage(value, tally);
          if (value === 'up') await say(thanks);
          // A 👎 offers a comment: what was wrong is what editors can act on.
          else
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...downVoteReply(thanks, button),
            });
        },
        () => say(APOLOGY_MESSAGE),
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
        await shareInChannel(client, respond, channel, message);
      },
      () => respond({ response_type: 'ephemeral', replace_original: false, text: APOLOGY_MESSAGE }),
    );
  });
}
