import type { App, BlockButtonAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import { APOLOGY_MESSAGE, voteRecordedMessage } from '../../../src/messages/index.ts';
import { ACTIONS, answerMessage, decodeButtonValue } from '../blocks.ts';
import type { SlackHandlerContext } from './context.ts';
import { downVoteReply, registerCommentHandlers } from './feedback-comment.ts';
import { shareInChannel } from './share.ts';

type ButtonArgs = Pick<SlackActionMiddlewareArgs<BlockButtonAction>, 'body' | 'action' | 'respond'>;

/** Record (or change) the user's vote and thank them with the tally; a 👎 offers a comment. */
async function recordVote(
  ctx: SlackHandlerContext,
  { body, action, respond }: ButtonArgs,
  value: 'up' | 'down',
) {
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
  // A 👎 offers a comment: what was wrong is what editors can act on.
  const reply = value === 'up' ? { text: thanks } : downVoteReply(thanks, button);
  await respond({ response_type: 'ephemeral', replace_original: false, ...reply });
}

/** Re-post a private answer in the channel, once however often the button is pressed. */
async function shareAnswer(
  ctx: SlackHandlerContext,
  { body, action, respond }: ButtonArgs,
  client: Parameters<typeof shareInChannel>[0],
) {
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
}

const apologyTo = (respond: RespondFn) => () =>
  respond({ response_type: 'ephemeral', replace_original: false, text: APOLOGY_MESSAGE });

/** 👍/👎 record (or change) the user's vote; "Share in channel" posts a private answer publicly. */
export function registerActionHandlers(app: App, ctx: SlackHandlerContext): void {
  registerCommentHandlers(app, ctx);
  for (const [actionId, value] of [
    [ACTIONS.voteUp, 'up'],
    [ACTIONS.voteDown, 'down'],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async (args) => {
      await args.ack();
      await ctx.track('vote', () => recordVote(ctx, args, value), apologyTo(args.respond));
    });
  }
  app.action<BlockButtonAction>(ACTIONS.share, async (args) => {
    await args.ack();
    await ctx.track('share', () => shareAnswer(ctx, args, args.client), apologyTo(args.respond));
  });
}
