import { ApplicationCommandOptionType } from 'discord.js';
import { addUsage, NOT_AN_EDITOR_MESSAGE } from '../../../src/messages/index.ts';
import type { Command } from '../command.ts';
import { escapeMarkdown } from '../embeds.ts';

/** `/add url:<link>`: an editor adds an article from its link; the reply (only they see it) says what was added or why not. */
export default {
  data: {
    name: 'add',
    description: 'Editors: add an article to the sources from its link.',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'The article’s address, https://…',
        required: true,
        max_length: 2000,
      },
    ],
  },

  async execute(interaction, context) {
    const editors = context.editorRoleIds ?? [];
    const isEditor = (interaction.memberRoleIds ?? []).some((role) => editors.includes(role));
    if (!context.links) {
      await interaction.reply(
        { content: 'Adding articles from Discord is not set up on this bot.' },
        { ephemeral: true },
      );
      return;
    }
    if (!isEditor) {
      await interaction.reply({ content: NOT_AN_EDITOR_MESSAGE }, { ephemeral: true });
      return;
    }
    const url = interaction.getString('url')?.trim() ?? '';
    if (!url) {
      await interaction.reply({ content: addUsage('/add url:') }, { ephemeral: true });
      return;
    }
    // Fetching can take seconds; Discord wants an answer within three.
    await interaction.deferReply({ ephemeral: true });
    const { message } = await context.links.add(url, { platform: 'discord', userId: interaction.userId });
    await interaction.editReply({ content: escapeMarkdown(message) });
  },
} satisfies Command;
