import type { Digest, DigestEntry } from '../../src/digest/types.ts';
import {
  BLOCK_TEXT_BUDGET,
  type Block,
  FALLBACK_LIMIT,
  linkedSourceLine,
  MAX_BLOCKS,
  SECTION_LIMIT,
  type SlackMessage,
} from './blocks.ts';
import { escapeText, quoteLines, truncate } from './escape.ts';

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
const section = (text: string): Block => ({ type: 'section', text: mrkdwn(truncate(text, SECTION_LIMIT)) });
const context = (text: string): Block => ({
  type: 'context',
  elements: [mrkdwn(truncate(text, SECTION_LIMIT))],
});

/** One entry: status and linked source line, then its cited sentences as quotes. */
function entryText(entry: DigestEntry, budget: number): string {
  const head = `*${entry.status === 'new' ? 'New' : 'Updated'}:* ${linkedSourceLine(entry)}`;
  const perSentence = Math.floor((budget - head.length) / Math.max(1, entry.sentences.length)) - 6;
  const quotes = entry.sentences.map((s) =>
    quoteLines(`“${escapeText(truncate(s.snippet, Math.max(80, perSentence)))}”`),
  );
  return [head, ...quotes].join('\n');
}

/** A digest as Block Kit: what is new or updated (with cited sentences), then the most-asked questions. */
export function digestMessage(digest: Digest): SlackMessage {
  const period = digest.since ? `since ${digest.since.slice(0, 10)}` : 'in the sources';
  const blocks: Block[] = [];
  blocks.push({
    type: 'header',
    text: { type: 'plain_text', text: truncate(`peacedesk digest — ${digest.until.slice(0, 10)}`, 150) },
  });
  const count = digest.entries.length;
  blocks.push(
    section(
      count
        ? `*${count} new or updated article${count === 1 ? '' : 's'}* ${period}:`
        : `Nothing new or updated ${period}.`,
    ),
  );
  // Leave room for the questions and the footer; each entry gets an equal share of the rest.
  const room = BLOCK_TEXT_BUDGET - 1500;
  const perEntry = Math.min(SECTION_LIMIT, Math.max(300, Math.floor(room / Math.max(1, count))));
  let shown = 0;
  let used = 0;
  for (const entry of digest.entries) {
    const text = entryText(entry, perEntry);
    if (used + text.length > room || blocks.length >= MAX_BLOCKS - 4) break;
    blocks.push(section(text));
    used += text.length;
    shown++;
  }
  if (shown < count) blocks.push(context(`…and ${count - shown} more.`));
  if (digest.topQuestions.length) {
    const lines = digest.topQuestions
      .slice(0, 10)
      .map((q) => `• ${escapeText(truncate(q.question, 150))} (${q.count}×)`);
    blocks.push(section(['*Most asked:*', ...lines].join('\n')));
  }
  if (digest.asOf) blocks.push(context(escapeText(`Newest article: ${digest.asOf}.`)));
  return { text: escapeText(truncate(digest.text, FALLBACK_LIMIT)), blocks };
}
