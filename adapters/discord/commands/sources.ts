import type { Command } from '../command.ts';
import { sourcesMessage } from '../embeds.ts';

/** `/sources`: the articles the bot answers from (title, outlet, date). */
export default {
  data: { name: 'sources', description: 'List the articles the answers come from.' },

  async execute(interaction, context) {
    await interaction.deferReply({ ephemeral: true });
    await interaction.editReply(sourcesMessage(context.engine.articles()));
  },
} satisfies Command;
