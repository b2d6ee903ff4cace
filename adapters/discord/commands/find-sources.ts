import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
} from 'discord.js';
import { findSources } from '../../../src/conversation/index.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import { rateLimitMessage } from '../../../src/messages/strings.ts';
import type { Command } from '../command.ts';
import { escapeMarkdown } from '../embeds.ts';
import { sourcesReportMessage } from '../sources-reply.ts';

/** The message command's menu label (Apps → Find sources for this). */
export const FIND_SOURCES_NAME = 'Find sources for this';

/**
 * The "Find sources for this" message command: for each claim of the message, the verbatim
 * passages that bear on it, privately, with a button to share the report in the channel.
 */
export default {
  data: new ContextMenuCommandBuilder()
    .setName(FIND_SOURCES_NAME)
    .setType(ApplicationCommandType.Message)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
    .setContexts(
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    )
    .toJSON(),

  async execute(interaction, context) {
    const text = interaction.targetMessage?.content ?? '';
    const limit = context.limiter.take(interaction.userId);
    if (!limit.allowed) {
      await interaction.reply({ content: rateLimitMessage(limit.retryAfterMs / 1000) }, { ephemeral: true });
      return;
    }
    await interaction.deferReply({ ephemeral: true });
    if (text.trim() === '') {
      // Without the Message Content intent a message's text still reaches message commands; an
      // embed-only or attachment-only message has none.
      await interaction.editReply({ content: 'That message has no text to find sources for.' });
      return;
    }
    try {
      const report = await findSources(context.engine, text);
      context.rememberSources?.(interaction.id, report);
      await interaction.editReply(
        sourcesReportMessage(report, context.rememberSources ? { lookupId: interaction.id } : {}),
      );
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      await interaction.editReply({ content: escapeMarkdown(error.message) });
    }
  },
} satisfies Command;
