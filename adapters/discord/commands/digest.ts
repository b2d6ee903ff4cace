import type { Command } from '../command.ts';
import { digestMessages, LIMITS, truncate } from '../embeds.ts';

/** `/digest`: a private preview of this channel's next digest (nothing is posted or recorded). */
export default {
  data: { name: 'digest', description: "Preview this channel's next digest (only you see it)." },

  async execute(interaction, context) {
    await interaction.deferReply({ ephemeral: true });
    if (!interaction.channelId) {
      await interaction.editReply({ content: 'Digests belong to channels; run /digest in one.' });
      return;
    }
    if (!context.digest) {
      await interaction.editReply({ content: 'Digests are not set up on this server.' });
      return;
    }
    const [first, ...rest] = digestMessages(await context.digest.preview('discord', interaction.channelId));
    const more = rest.length
      ? `\n(+${rest.length} more message${rest.length === 1 ? '' : 's'} when posted)`
      : '';
    const content = truncate(`${first?.content ?? ''}${more}`.trim(), LIMITS.content);
    await interaction.editReply({ ...first, content: content || undefined });
  },
} satisfies Command;
