import { ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../command.ts';
import { escapeMarkdown, truncate } from '../embeds.ts';
import { replyThroughAsks, topicChoices } from '../perspective-reply.ts';

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
    // The input is checked before deferring, so a refusal is private even with public:true.
    await replyThroughAsks(interaction, {
      ephemeral: interaction.getBoolean('public') !== true,
      run: (asker) =>
        context.asks.timeline(asker, { ...(topic && { topic }), ...(sinceText && { sinceText }) }),
      badDate: (text) =>
        `I could not read "${escapeMarkdown(truncate(text, 40))}" as a date; try 2025-08-01, "August 2025" or "last month".`,
    });
  },

  async autocomplete(request) {
    if (request.focused.name !== 'topic') return request.respond([]);
    await request.respond(topicChoices(request.focused.value));
  },
} satisfies Command;
