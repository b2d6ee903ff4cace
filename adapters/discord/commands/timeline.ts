import { ApplicationCommandOptionType } from 'discord.js';
import { parseSince } from '../../../src/engine/intent.ts';
import { resolveTopic } from '../../../src/engine/perspectives.ts';
import { rateLimitMessage } from '../../../src/engine/render-text.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import type { Command } from '../command.ts';
import { escapeMarkdown, truncate } from '../embeds.ts';
import { replyWithPerspective, topicChoices } from '../perspective-reply.ts';

/** `/timeline [topic:<topic>] [since:<date>] [public:<bool>]`: the documents oldest first, each quoted. */
export default {
  data: {
    name: 'timeline',
    description: 'Follow the proposals over time: one quote per document, oldest first.',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'Only what each document says on this topic, e.g. territory',
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'since',
        description: 'Only documents from this date on: 2025-08-01, "August 2025", "last month"',
        max_length: 40,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'public',
        description: 'Show the timeline to the channel (default: only you see it).',
      },
    ],
  },

  async execute(interaction, context) {
    const topic = interaction.getString('topic')?.trim() || undefined;
    const sinceText = interaction.getString('since')?.trim() || undefined;
    const limit = context.limiter.take(interaction.userId);
    if (!limit.allowed) {
      await interaction.reply({ content: rateLimitMessage(limit.retryAfterMs / 1000) }, { ephemeral: true });
      return;
    }
    // Check the input before deferring, so a refusal is private even with public:true.
    let since: string | undefined;
    try {
      if (topic) resolveTopic(topic);
      if (sinceText) {
        since = parseSince(sinceText, context.clock.now()) ?? undefined;
        if (!since) {
          const shown = escapeMarkdown(truncate(sinceText, 40));
          const content = `I could not read "${shown}" as a date; try 2025-08-01, "August 2025" or "last month".`;
          await interaction.reply({ content }, { ephemeral: true });
          return;
        }
      }
    } catch (error) {
      if (isPeacedeskError(error)) {
        await interaction.reply({ content: escapeMarkdown(error.message) }, { ephemeral: true });
        return;
      }
      throw error;
    }
    await replyWithPerspective(interaction, context, () =>
      context.engine.timeline({ ...(topic && { topic }), ...(since && { since }) }),
    );
  },

  async autocomplete(request) {
    if (request.focused.name !== 'topic') return request.respond([]);
    await request.respond(topicChoices(request.focused.value));
  },
} satisfies Command;
