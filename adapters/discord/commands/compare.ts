import { ApplicationCommandOptionType } from 'discord.js';
import { resolveTopic } from '../../../src/engine/perspectives.ts';
import { rateLimitMessage } from '../../../src/engine/render-text.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import type { Command } from '../command.ts';
import { escapeMarkdown } from '../embeds.ts';
import { replyWithPerspective, topicChoices } from '../perspective-reply.ts';

/** `/compare topic:<topic> [public:<bool>]`: what each document says on one topic, side by side. */
export default {
  data: {
    name: 'compare',
    description: 'Compare what each proposal says on one topic, quoting the sources.',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'The topic, e.g. territory, NATO, sanctions',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'public',
        description: 'Show the comparison to the channel (default: only you see it).',
      },
    ],
  },

  async execute(interaction, context) {
    const topic = interaction.getString('topic') ?? '';
    const limit = context.limiter.take(interaction.userId);
    if (!limit.allowed) {
      await interaction.reply({ content: rateLimitMessage(limit.retryAfterMs / 1000) }, { ephemeral: true });
      return;
    }
    // Check the topic before deferring, so an unknown one is answered privately even with public:true.
    try {
      resolveTopic(topic);
    } catch (error) {
      if (isPeacedeskError(error)) {
        await interaction.reply({ content: escapeMarkdown(error.message) }, { ephemeral: true });
        return;
      }
      throw error;
    }
    await replyWithPerspective(interaction, context, () => context.engine.compare(topic));
  },

  async autocomplete(request) {
    await request.respond(topicChoices(request.focused.value));
  },
} satisfies Command;
