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
import { parseShareAnswerCustomId, parseVoteCustomId } from './embeds.ts';
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

/** What {@link createDispatcher} routes to. */
export interface DispatcherDeps {
  commands: ReadonlyMap<string, Command>;
  context: CommandContext;
  feedback: FeedbackStore;
  ledger: DeliveryLedger;
  logger: Logger;
  /** Questions of recent answers, for votes. */
  questionOf(answerId: string): string | undefined;
  /** The share button under a private "find sources" report (see sources-reply.ts). */
  shareSources?(press: ButtonPress, lookupId: string): Promise<void>;
  /** The share button under a private answer: re-posts the remembered answer in the channel. */
  shareAnswer?(press: ButtonPress, answerId: string): Promise<void>;
}

type Apologisable = {
  acknowledged: boolean;
  reply: SlashInteraction['reply'];
  editReply?: SlashInteraction['editReply'];
};

/** True the first time an interaction id is seen (across replicas, through the ledger); logs a duplicate. */
function createFirstDelivery(ledger: DeliveryLedger, logger: Logger) {
  return async (id: string, kind: string) => {
    if (await ledger.claim(`discord:interaction:${id}`)) return true;
    logger.info('discord duplicate interaction ignored', { id, kind });
    return false;
  };
}

/** Log a failure and tell the user privately (editing the deferred reply when there is one). */
function createApologiser(logger: Logger) {
  return async (target: Apologisable, error: unknown, fields: Record<string, unknown>) => {
    logger.error('discord handler failed', { ...fields, error });
    try {
      if (target.acknowledged && target.editReply)
        await target.editReply({ content: APOLOGY_MESSAGE, embeds: [], components: [] });
      else if (!target.acknowledged) await target.reply({ content: APOLOGY_MESSAGE }, { ephemeral: true });
    } catch (replyError) {
      logger.error('discord apology failed', { ...fields, error: replyError });
    }
  };
}

/** A 👍/👎 press: record the vote with the answer's question and thank the voter (a 👎 offers a comment). */
async function recordVote(deps: DispatcherDeps, press: ButtonPress): Promise<void> {
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
  await press.reply(vote.value === 'down' ? downVoteReply(thanks, vote.answerId) : { content: thanks }, {
    ephemeral: true,
  });
}

/** A button: share a "find sources" report or an answer, open the comment form, or record a vote. */
async function routeButton(deps: DispatcherDeps, press: ButtonPress): Promise<void> {
  const lookupId = parseShareSourcesCustomId(press.customId);
  if (lookupId && deps.shareSources) return deps.shareSources(press, lookupId);
  const sharedAnswer = parseShareAnswerCustomId(press.customId);
  if (sharedAnswer && deps.shareAnswer) return deps.shareAnswer(press, sharedAnswer);
  const commentOn = parseCommentCustomId(press.customId);
  if (commentOn) return press.showModal(commentModal(commentOn));
  return recordVote(deps, press);
}

/** The comment form after a 👎: record the comment with the vote and thank the user. */
async function recordComment(deps: DispatcherDeps, submission: ModalSubmission): Promise<void> {
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
}

/**
 * Dedupes by interaction id, runs the command inside a try/catch, and turns any failure into a
 * short private apology plus a log line. Never rejects.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { commands, context, logger } = deps;
  const firstDelivery = createFirstDelivery(deps.ledger, logger);
  const apologise = createApologiser(logger);
  // Runs one deduplicated interaction, apologising for whatever it throws.
  const once = async (
    target: Apologisable & { id: string },
    kind: string,
    fields: Record<string, unknown>,
    work: () => Promise<void>,
  ) => {
    try {
      if (!(await firstDelivery(target.id, kind))) return;
      await work();
    } catch (error) {
      await apologise(target, error, fields);
    }
  };

  return {
    command: (interaction) =>
      once(interaction, 'command', { id: interaction.id, command: interaction.commandName }, async () => {
        const command = commands.get(interaction.commandName);
        if (!command) throw new Error(`Discord: unknown command ${interaction.commandName}`);
        await command.execute(interaction, context);
      }),

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

    button: (press) =>
      once(press, 'button', { id: press.id, customId: press.customId }, () => routeButton(deps, press)),

    modal: (submission) =>
      once(submission, 'modal', { id: submission.id, customId: submission.customId }, () =>
        recordComment(deps, submission),
      ),
  };
}
