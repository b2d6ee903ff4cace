import { ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../command.ts';
import { replyThroughAsks, topicChoices } from '../perspective-reply.ts';

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
    // The topic is checked before deferring, so an unknown one is answered privately even with public:true.
    await replyThroughAsks(interaction, {
      ephemeral: interaction.getBoolean('public') !== true,
      run: (asker) => context.asks.compare(asker, topic),
    });
  },

  async autocomplete(request) {
    await request.respond(topicChoices(request.focused.value));
  },
} satisfies Command;
