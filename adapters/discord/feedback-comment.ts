import {
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { MessagePayload } from './command.ts';

/** Longest comment kept (also the text input's limit). */
export const COMMENT_LIMIT = 1000;
/** The text input's id inside the comment modal. */
export const COMMENT_FIELD = 'comment';

/** The custom id of the "Add a comment" button and of the modal it opens. */
export function commentCustomId(answerId: string): string {
  return `comment:${answerId}`;
}

/** The answer id in a comment button's or modal's custom id, or null when it is not one. */
export function parseCommentCustomId(customId: string): string | null {
  return /^comment:([\w-]{1,80})$/.exec(customId)?.[1] ?? null;
}

/** The private thanks for a 👎, with a button to say what was wrong. */
export function downVoteReply(text: string, answerId: string): MessagePayload {
  return {
    content: text,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            custom_id: commentCustomId(answerId),
            label: 'Add a comment',
          },
        ],
      },
    ],
  };
}

/** The modal asking what was wrong with the answer. */
export function commentModal(answerId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: commentCustomId(answerId),
    title: 'What was wrong?',
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: COMMENT_FIELD,
            label: 'Your comment for the editors',
            style: TextInputStyle.Paragraph,
            max_length: COMMENT_LIMIT,
            required: true,
            placeholder: 'A wrong passage, a missing article, an outdated figure…',
          },
        ],
      },
    ],
  };
}
