import { type APIEmbed, ButtonStyle, ComponentType } from 'discord.js';
import type { SourcesReport } from '../../src/find-sources/find-sources.ts';
import { SHARE_LABEL, sourceLine, sourcesMessageOf } from '../../src/messages/index.ts';
import type { MessagePayload } from './command.ts';
import { escapeMarkdown, LIMITS, truncate } from './embeds.ts';

/** Custom id of the share button under a private "find sources" report: "sources-share:<lookupId>". */
export function shareSourcesCustomId(lookupId: string): string {
  return `sources-share:${lookupId}`;
}

/** The lookup id in a share button's custom id, or null when it is not one. */
export function parseShareSourcesCustomId(customId: string): string | null {
  return /^sources-share:(\d{1,25})$/.exec(customId)?.[1] ?? null;
}

/**
 * "Find sources for this" as one embed: per claim, the claim, then each passage quoted with its
 * outlet and date and what it says differently; "No article bears on this." when none does.
 * Each claim gets an equal share of the description, so every claim is shown.
 */
export function sourcesReportMessage(
  report: SourcesReport,
  options: { lookupId?: string; shared?: boolean },
): MessagePayload {
  const message = sourcesMessageOf(report);
  const share = Math.floor((LIMITS.description - 200) / Math.max(1, message.claims.length));
  const parts = message.claims.map((claim) => {
    const lines = [`**${claim.n}. Claim:** ${escapeMarkdown(truncate(claim.claim, Math.floor(share / 4)))}`];
    if (claim.note) lines.push(escapeMarkdown(claim.note));
    const each = Math.floor((share * 3) / 4 / Math.max(1, claim.passages.length));
    for (const passage of claim.passages) {
      const differs = passage.differs ? `\n*Differs:* ${escapeMarkdown(passage.differs)}.` : '';
      const source = `— ${escapeMarkdown(truncate(sourceLine(passage.source), 160))}`;
      const room = Math.max(60, each - differs.length - source.length - 8);
      lines.push(`> “${escapeMarkdown(truncate(passage.snippet, room))}”${differs}\n${source}`);
    }
    return truncate(lines.join('\n'), share);
  });
  if (message.skipped) parts.push(message.skipped);
  const embed: APIEmbed = {
    title: message.title,
    description: truncate(parts.join('\n\n'), LIMITS.description),
    footer: { text: options.shared ? `${message.sharedNote} ${message.noVerdict}` : message.noVerdict },
    color: 0x2b6cb0,
  };
  return {
    embeds: [embed],
    ...(options.lookupId
      ? {
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Primary,
                  custom_id: shareSourcesCustomId(options.lookupId),
                  label: SHARE_LABEL,
                },
              ],
            },
          ],
        }
      : {}),
  };
}
