import { type APIEmbed, ApplicationCommandOptionType } from 'discord.js';
import { parseReportSince } from '../../../src/conversation/index.ts';
import type { GapReport } from '../../../src/coverage/types.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import { GAPS_HEADING, gapCountText } from '../../../src/messages/index.ts';
import type { Command, MessagePayload } from '../command.ts';
import { escapeMarkdown, LIMITS, truncate } from '../embeds.ts';

const SHOWN = 10;

/** The gap report as one private embed: a field per gap, the closed ones counted in the footer. */
export function gapsMessage(report: GapReport): MessagePayload {
  const since = report.since.slice(0, 10);
  if (!report.gaps.length) {
    return { content: `No open coverage gaps since ${since}: every declined question is answered now.` };
  }
  const embed: APIEmbed = {
    title: `${GAPS_HEADING} (since ${since})`,
    color: 0x718096,
    fields: report.gaps.slice(0, SHOWN).map((g, i) => ({
      name: truncate(`${i + 1}. ${g.label} — ${gapCountText(g)}`, LIMITS.fieldName),
      value: truncate(
        [
          ...g.examples.map((e) => `“${escapeMarkdown(truncate(e, 200))}”`),
          g.closest[0]?.title
            ? `Closest: ${escapeMarkdown(truncate(g.closest[0].title, 150))}`
            : 'No close article.',
        ].join('\n'),
        LIMITS.fieldValue,
      ),
    })),
    footer: {
      text: `${report.declined} declined question${report.declined === 1 ? '' : 's'}${report.closed.length ? `; ${report.closed.length} answered since by new articles` : ''}. npm run report -- gaps lists them all.`,
    },
  };
  return { embeds: [embed] };
}

/** `/gaps [since:7d]`: coverage gaps, privately, for editors (members with a DISCORD_EDITOR_ROLE_IDS role). */
export default {
  data: {
    name: 'gaps',
    description: 'Editors: what people asked that the sources do not answer (only you see it).',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'since',
        description: 'How far back: 7d, 24h, 2w, a date (2025-08-01) or a month. Default 30d.',
        max_length: 40,
      },
    ],
  },

  async execute(interaction, context) {
    await interaction.deferReply({ ephemeral: true });
    const roles = interaction.memberRoleIds ?? [];
    if (!context.editorRoleIds?.some((role) => roles.includes(role))) {
      await interaction.editReply({
        content: 'Only editors can see coverage gaps. An admin can add your role to DISCORD_EDITOR_ROLE_IDS.',
      });
      return;
    }
    if (!context.coverage) {
      await interaction.editReply({ content: 'Coverage gaps are not set up on this server.' });
      return;
    }
    let since: Date;
    try {
      since = parseReportSince(interaction.getString('since') ?? '30d', context.clock.now());
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      await interaction.editReply({ content: escapeMarkdown(error.message) });
      return;
    }
    await interaction.editReply(gapsMessage(await context.coverage.gaps({ since, limit: SHOWN })));
  },
} satisfies Command;
