import type { Digest, DigestEntry } from '../../src/digest/types.ts';
import { correctionLines, GAPS_HEADING, gapCountText, renderDigestText } from '../../src/messages/index.ts';
import {
  type Block,
  context,
  fallbackText,
  fitMessage,
  linkedSourceLine,
  MAX_BLOCKS,
  SECTION_LIMIT,
  type SlackMessage,
  section,
} from './blocks.ts';
import { escapeText, quoteLines, truncate } from './escape.ts';

/** One entry within `budget` characters: status and linked source line, then its sentences as quotes. */
function entryText(entry: DigestEntry, budget: number): string {
  const head = `*${entry.status === 'new' ? 'New' : 'Updated'}:* ${linkedSourceLine(entry, Math.floor(budget / 3))}`;
  const perSentence = Math.max(
    60,
    Math.floor((budget - head.length) / Math.max(1, entry.sentences.length)) - 6,
  );
  // Sentences are cut before escaping, so the cut never splits an entity.
  const quotes = entry.sentences.map((s) => {
    let text = escapeText(truncate(s.snippet, perSentence));
    for (let keep = perSentence; text.length > perSentence && keep > 20; keep = Math.floor(keep * 0.7))
      text = escapeText(truncate(s.snippet, keep));
    return quoteLines(`“${text}”`);
  });
  return [head, ...quotes].join('\n');
}

/** A digest as Block Kit: what is new or updated (with cited sentences), then the most-asked questions. */
export function digestMessage(digest: Digest): SlackMessage {
  const period = digest.since ? `since ${escapeText(digest.since.slice(0, 10))}` : 'in the sources';
  const count = digest.entries.length;
  const summary = count
    ? `*${count} new or updated article${count === 1 ? '' : 's'}* ${period}:`
    : `Nothing new or updated ${period}.`;
  const questions = digest.topQuestions.length
    ? section(
        [
          '*Most asked:*',
          ...digest.topQuestions
            .slice(0, 10)
            .map((q) => `• ${escapeText(truncate(q.question, 150))} (${q.count}×)`),
        ].join('\n'),
      )
    : undefined;
  const gaps = digest.gaps?.length
    ? section(
        [
          `*${GAPS_HEADING}:*`,
          ...digest.gaps
            .slice(0, 10)
            .map(
              (g) =>
                `• *${escapeText(truncate(g.label, 80))}* (${gapCountText(g)}): “${escapeText(truncate(g.example, 150))}”`,
            ),
        ].join('\n'),
      )
    : undefined;
  return fitMessage((budget) => {
    const blocks: Block[] = [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(`peacedesk digest — ${digest.until.slice(0, 10)}`, 150) },
      },
      section(summary),
    ];
    // Each entry gets an equal share of the budget, within a section's limit.
    const perEntry = Math.min(SECTION_LIMIT, Math.max(200, Math.floor(budget / Math.max(1, count))));
    let shown = 0;
    let used = 0;
    for (const entry of digest.entries) {
      const text = entryText(entry, perEntry);
      if (used + text.length > budget || blocks.length >= MAX_BLOCKS - 4) break;
      blocks.push(section(text));
      used += text.length;
      shown++;
    }
    if (shown < count) blocks.push(context(`…and ${count - shown} more.`));
    if (digest.corrections?.length)
      blocks.push(
        section(truncate(escapeText(correctionLines(digest.corrections).join('\n')), SECTION_LIMIT)),
      );
    if (questions) blocks.push(questions);
    if (gaps) blocks.push(gaps);
    if (digest.asOf) blocks.push(context(escapeText(`Newest article: ${digest.asOf}.`)));
    return { text: fallbackText(renderDigestText(digest)), blocks };
  });
}
