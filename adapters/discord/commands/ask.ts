import { ApplicationCommandOptionType } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../../../src/answering/validate-question.ts';
import type { Command } from '../command.ts';
import { isBotThread, threadName } from '../conversation.ts';
import { replyThroughAsks } from '../perspective-reply.ts';
import { MAX_CHOICES } from '../suggest.ts';

/**
 * `/ask question:<text> [public:<bool>]`: a cited answer, private unless `public` is true (always
 * private in DMs and user-installed contexts). A public answer opens a thread for follow-ups; in
 * one of those threads `/ask` follows on from the thread's questions.
 */
export default {
  data: {
    name: 'ask',
    description: 'Ask about the peace proposals; the answer quotes the sources.',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, e.g. "What does the US draft say about NATO?"',
        required: true,
        autocomplete: true,
        max_length: Math.min(6000, MAX_QUESTION_LENGTH - 1),
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'public',
        description: 'Show the answer to the channel (default: only you see it).',
      },
    ],
  },

  async execute(interaction, context) {
    const question = interaction.getString('question') ?? '';
    const ephemeral = interaction.privateContext === true || interaction.getBoolean('public') !== true;
    const inThread = await isBotThread(context, interaction.channelId);
    const { result, sent } = await replyThroughAsks(interaction, {
      ephemeral,
      run: (asker) =>
        context.asks.ask(asker, question, {
          threadId: inThread ? interaction.channelId : null,
          save: 'known',
        }),
    });
    // A public answer in a channel opens a thread where follow-ups keep its context.
    if (
      !result.ok ||
      ephemeral ||
      inThread ||
      !sent ||
      !interaction.channelId ||
      !interaction.guildId ||
      !context.startThread
    )
      return;
    try {
      const thread = await context.startThread(
        interaction.channelId,
        sent.id,
        threadName(result.answer.question),
      );
      if (thread) await result.saveThread?.(thread);
    } catch (error) {
      // The answer is there; only the thread is missing (no permission, a thread channel...).
      context.logger.warn('discord: could not open a thread under the answer', { id: interaction.id, error });
    }
  },

  async autocomplete(request, context) {
    const choices = context.suggest(request.focused.value, MAX_CHOICES).map((s) => ({ name: s, value: s }));
    await request.respond(choices);
  },
} satisfies Command;
