import type { types } from '@slack/bolt';
import type { SourcesReport } from '../../src/find-sources/find-sources.ts';
import { renderSourcesText, SHARE_LABEL, sourcesMessageOf } from '../../src/messages/index.ts';
import {
  type Block,
  context,
  fallbackText,
  fitMessage,
  linkedSourceLine,
  MAX_BLOCKS,
  type SlackMessage,
  section,
} from './blocks.ts';
import { escapeText, quoteLines, truncate } from './escape.ts';

/** Action id of the "Share in channel" button under a private "find sources" report. */
export const SHARE_SOURCES_ACTION = 'peacedesk_share_sources';
/** Callback id of the message shortcut (as in slack-app-manifest.yaml). */
export const FIND_SOURCES_CALLBACK = 'peacedesk_find_sources';
/** Slack's limit on a button's value: the text is carried whole or the share button is left out. */
const BUTTON_VALUE_LIMIT = 2000;

/**
 * "Find sources for this" as Block Kit: per claim, the claim, then each passage quoted with its
 * outlet and date and what it says differently; "No article bears on this." when none does.
 */
export function sourcesReportMessage(
  report: SourcesReport,
  options: { text: string; shareable: boolean; shared?: boolean },
): SlackMessage {
  const value = JSON.stringify({ t: options.text });
  const share: Block[] =
    options.shareable && value.length <= BUTTON_VALUE_LIMIT
      ? [
          {
            type: 'actions',
            block_id: 'peacedesk_sources_share',
            elements: [
              {
                type: 'button',
                action_id: SHARE_SOURCES_ACTION,
                text: { type: 'plain_text', text: SHARE_LABEL, emoji: true },
                style: 'primary',
                value,
              } satisfies types.Button,
            ],
          },
        ]
      : [];
  const message = sourcesMessageOf(report);
  // "(the articles’ own words, claim by claim; no verdict)" after the bold title.
  const aside = message.noVerdict.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
  return fitMessage((budget) => {
    const blocks: Block[] = [section(`*${message.title}* (${aside})`)];
    if (options.shared) blocks.push(context(message.sharedNote));
    const each = Math.floor(budget / Math.max(1, message.claims.length));
    for (const claim of message.claims) {
      blocks.push(
        section(
          `*${claim.n}. Claim:* “${escapeText(truncate(claim.claim, Math.max(80, Math.floor(each / 4))))}”`,
        ),
      );
      if (claim.note) blocks.push(context(escapeText(claim.note)));
      const share = Math.floor(each / Math.max(1, claim.passages.length + 1));
      for (const passage of claim.passages) {
        const quote = quoteLines(`“${escapeText(truncate(passage.snippet, Math.max(100, share)))}”`);
        const differs = passage.differs ? `\n_Differs:_ ${escapeText(passage.differs)}.` : '';
        blocks.push(section(`${quote}${differs}`));
        blocks.push(context(`— ${linkedSourceLine(passage.source, 300)}`));
      }
    }
    if (message.skipped) blocks.push(context(message.skipped));
    return {
      text: fallbackText(renderSourcesText(report)),
      blocks: [...blocks.slice(0, MAX_BLOCKS - share.length), ...share],
    };
  });
}

/** Read the share button's value back; undefined when it is not one. */
export function decodeSourcesValue(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { t?: unknown };
    return typeof parsed.t === 'string' ? parsed.t : undefined;
  } catch {
    return undefined;
  }
}
