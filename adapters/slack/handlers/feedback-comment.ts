import type { App, BlockButtonAction, types } from '@slack/bolt';
import {
  type Block,
  type ButtonValue,
  decodeButtonValue,
  encodeButtonValue,
  type SlackMessage,
  section,
} from '../blocks.ts';
import { escapeText, truncate } from '../escape.ts';
import type { SlackHandlerContext } from './context.ts';

/** The "Add a comment" button under the thanks for a 👎, and the modal it opens. */
export const COMMENT_ACTION = 'peacedesk_feedback_comment';
/** The comment modal's callback id. */
export const COMMENT_VIEW = 'peacedesk_feedback_comment_view';
/** Longest comment kept. */
export const COMMENT_LIMIT = 1000;

/** The private thanks for a 👎, with a button to say what was wrong. */
export function downVoteReply(text: string, button: ButtonValue): SlackMessage {
  const value = encodeButtonValue(button);
  const blocks: Block[] = [section(escapeText(text))];
  if (value) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: COMMENT_ACTION,
          text: { type: 'plain_text', text: 'Add a comment' },
          value,
        },
      ],
    });
  }
  return { text, blocks };
}

/** The modal asking what was wrong with the answer; the answer id rides in `private_metadata`. */
export function commentModal(button: ButtonValue): types.ModalView {
  return {
    type: 'modal',
    callback_id: COMMENT_VIEW,
    private_metadata: encodeButtonValue(button) ?? '',
    title: { type: 'plain_text', text: 'What was wrong?' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*Question:* ${escapeText(truncate(button.question, 300))}`),
      {
        type: 'input',
        block_id: 'comment',
        label: { type: 'plain_text', text: 'Your comment for the editors' },
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          multiline: true,
          max_length: COMMENT_LIMIT,
          placeholder: {
            type: 'plain_text',
            text: 'A wrong passage, a missing article, an outdated figure…',
          },
        },
      },
    ],
  };
}

/** "Add a comment" opens the modal; its submission is kept with the user's 👎 on that answer. */
export function registerCommentHandlers(app: App, ctx: SlackHandlerContext): void {
  app.action<BlockButtonAction>(COMMENT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    await ctx.track(
      'comment_open',
      async () => {
        const button = decodeButtonValue(action.value);
        if (!button) {
          ctx.logger.warn('slack: comment button without a readable value', { value: action.value });
          return;
        }
        await client.views.open({ trigger_id: body.trigger_id, view: commentModal(button) });
      },
      // The click opened nothing; the log says why.
      async () => {},
    );
  });

  app.view(COMMENT_VIEW, async ({ ack, body, view }) => {
    await ack();
    await ctx.track(
      'comment',
      async () => {
        const button = decodeButtonValue(view.private_metadata);
        const text = view.state.values.comment?.text?.value?.trim();
        if (!button || !text) return;
        await ctx.feedback.recordVote({
          platform: 'slack',
          answerId: button.answerId,
          userId: body.user.id,
          value: 'down',
          question: button.question,
          comment: text.slice(0, COMMENT_LIMIT),
        });
      },
      async () => {},
    );
  });
}
