import { ApplicationCommandOptionType } from 'discord.js';
import { rateLimitMessage } from '../../../src/engine/render-text.ts';
import { MAX_QUESTION_LENGTH } from '../../../src/engine/validate-question.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import type { Command } from '../command.ts';
import { escapeMarkdown } from '../embeds.ts';
import { recordAndReply } from '../perspective-reply.ts';
import { MAX_CHOICES } from '../suggest.ts';

/** `/ask question:<text> [public:<bool>]`: a cited answer, private unless `public` is true. */
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
    const ephemeral = interaction.getBoolean('public') !== true;
    const limit = context.limiter.take(interaction.userId);
    if (!limit.allowed) {
      await interaction.reply({ content: rateLimitMessage(limit.retryAfterMs / 1000) }, { ephemeral: true });
      return;
    }
    await interaction.deferReply({ ephemeral });
    const started = context.clock.now();
    let answer: ReturnType<typeof context.engine.answer>;
    try {
      answer = await context.engine.answerAsync(question);
    } catch (error) {
      // A question the engine refuses (empty, too long, ...) gets the engine's own advice.
      if (isPeacedeskError(error)) {
        await interaction.editReply({ content: escapeMarkdown(error.message) });
        return;
      }
      throw error;
    }
    await recordAndReply(interaction, context, answer, started);
  },

  async autocomplete(request, context) {
    const choices = context.suggest(request.focused.value, MAX_CHOICES).map((s) => ({ name: s, value: s }));
    await request.respond(choices);
  },
} satisfies Command;
