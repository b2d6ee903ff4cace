import type { Logger } from '../../src/logger.ts';
import { APOLOGY_MESSAGE, voteThanksMessage } from '../../src/messages/strings.ts';
import type { DeliveryLedger, FeedbackStore } from '../../src/store/types.ts';
import type {
  AutocompleteRequest,
  ButtonPress,
  Command,
  CommandContext,
  ModalSubmission,
  SlashInteraction,
} from './command.ts';
import { parseVoteCustomId } from './embeds.ts';
import {
  COMMENT_FIELD,
  COMMENT_LIMIT,
  commentModal,
  downVoteReply,
  parseCommentCustomId,
} from './feedback-comment.ts';
import { parseShareSourcesCustomId } from './sources-reply.ts';

/** Routes interactions to commands; both transports (gateway, HTTP) feed it. */
export interface Dispatcher {
  command(interaction: SlashInteraction): Promise<void>;
  autocomplete(request: AutocompleteRequest): Promise<void>;
  button(press: ButtonPress): Promise<void>;
  /** A submitted modal: the comment after a 👎. */
  modal(submission: ModalSubmission): Promise<void>;
}

/**
 * Dedupes by interaction id, runs the command inside a try/catch, and turns any failure into a
 * short private apology plus a log line. Never rejects.
 */
export function createDispatcher(deps: {
  commands: ReadonlyMap<string, Command>;
  context: CommandContext;
  feedback: FeedbackStore;
  ledger: DeliveryLedger;
  logger: Logger;
  /** Questions of recent answers, for votes. */
  questionOf(answerId: string): string | undefined;
  /** The share button under a private "find sources" report (see sources-reply.ts). */
  shareSources?(press: ButtonPress, lookupId: string): Promise<void>;
}): Dispatcher {
  const { commands, context, ledger, logger } = deps;

  const firstDelivery = async (id: string, kind: string) => {
    if (await ledger.claim(`discord:interaction:${id}`)) return true;
    logger.info('discord duplicate interaction ignored', { id, kind });
    return false;
  };

  const apologise = async (
    target: {
      acknowledged: boolean;
      reply: SlashInteraction['reply'];
      editReply?: SlashInteraction['editReply'];
    },
    error: unknown,
    fields: Record<string, unknown>,
  ) => {
    logger.error('discord handler failed', { ...fields, error });
    try {
      if (target.acknowledged && target.editReply)
        await target.editReply({ content: APOLOGY_MESSAGE, embeds: [], components: [] });
      else if (!target.acknowledged) await target.reply({ content: APOLOGY_MESSAGE }, { ephemeral: true });
    } catch (replyError) {
      logger.error('discord apology failed', { ...fields, error: replyError });
    }
  };

  return {
    async command(interaction) {
      const fields = { id: interaction.id, command: interaction.commandName };
      try {
        if (!(await firstDelivery(interaction.id, 'command'))) return;
        const command = commands.get(interaction.commandName);
        if (!command) throw new Error(`Discord: unknown command ${interaction.commandName}`);
        await command.execute(interaction, context);
      } catch (error) {
        await apologise(interaction, error, fields);
      }
    },

    async autocomplete(request) {
      try {
        const command = commands.get(request.commandName);
        if (command?.autocomplete) await command.autocomplete(request, context);
        else await request.respond([]);
      } catch (error) {
        // Autocomplete has no room for an apology: log it, offer no choices if still possible.
        logger.error('discord autocomplete failed', { id: request.id, command: request.commandName, error });
        await request.respond([]).catch(() => {});
      }
    },

    async button(press) {
      const fields = { id: press.id, customId: press.customId };
      try {
        if (!(await firstDelivery(press.id, 'button'))) return;
        const lookupId = parseShareSourcesCustomId(press.customId);
        if (lookupId && deps.shareSources) {
          await deps.shareSources(press, lookupId);
          return;
        }
        const commentOn = parseCommentCustomId(press.customId);
        if (commentOn) {
          await press.showModal(commentModal(commentOn));
          return;
        }
        const vote = parseVoteCustomId(press.customId);
        if (!vote) throw new Error(`Discord: unknown button ${press.customId}`);
        const question = deps.questionOf(vote.answerId);
        await deps.feedback.recordVote({
          platform: 'discord',
          answerId: vote.answerId,
          userId: press.userId,
          value: vote.value,
          ...(question ? { question } : {}),
        });
        // A 👎 offers a comment: what was wrong is what editors can act on.
        const thanks = voteThanksMessage(vote.value);
        await press.reply(
          vote.value === 'down' ? downVoteReply(thanks, vote.answerId) : { content: thanks },
          {
            ephemeral: true,
          },
        );
      } catch (error) {
        await apologise(press, error, fields);
      }
    },

    async modal(submission) {
      const fields = { id: submission.id, customId: submission.customId };
      try {
        if (!(await firstDelivery(submission.id, 'modal'))) return;
        const answerId = parseCommentCustomId(submission.customId);
        if (!answerId) throw new Error(`Discord: unknown modal ${submission.customId}`);
        const comment = submission.value(COMMENT_FIELD)?.trim();
        if (comment) {
          const question = deps.questionOf(answerId);
          await deps.feedback.recordVote({
            platform: 'discord',
            answerId,
            userId: submission.userId,
            value: 'down',
            comment: comment.slice(0, COMMENT_LIMIT),
            ...(question ? { question } : {}),
          });
        }
        await submission.reply(
          { content: 'Thanks, your comment is recorded for the editors.' },
          { ephemeral: true },
        );
      } catch (error) {
        await apologise(submission, error, fields);
      }
    },
  };
}
