import type { Digest } from '../../src/digest/types.ts';
import {
  correctionLines,
  type DigestArticle,
  type DigestMessage,
  digestMessageOf,
  renderDigestMessageText,
} from '../../src/messages/index.ts';
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

/** One article within `budget` characters: status and linked source line, then its sentences as quotes. */
function articleText(article: DigestArticle, budget: number): string {
  const head = `*${article.statusLabel}:* ${linkedSourceLine(article.source, Math.floor(budget / 3))}`;
  const perSentence = Math.max(
    60,
    Math.floor((budget - head.length) / Math.max(1, article.quotes.length)) - 6,
  );
  // Sentences are cut before escaping, so the cut never splits an entity.
  const quotes = article.quotes.map((quote) => {
    let text = escapeText(truncate(quote, perSentence));
    for (let keep = perSentence; text.length > perSentence && keep > 20; keep = Math.floor(keep * 0.7))
      text = escapeText(truncate(quote, keep));
    return quoteLines(`“${text}”`);
  });
  return [head, ...quotes].join('\n');
}

/** The sections after the articles: corrections, the most-asked questions, the coverage gaps. */
function tailBlocks(message: DigestMessage): Block[] {
  const blocks: Block[] = [];
  if (message.corrections.length)
    blocks.push(section(truncate(escapeText(correctionLines(message).join('\n')), SECTION_LIMIT)));
  if (message.questions.length)
    blocks.push(
      section(
        [
          `*${message.questionsHeading}:*`,
          ...message.questions
            .slice(0, 10)
            .map((q) => `• ${escapeText(truncate(q.question, 150))} (${q.count}×)`),
        ].join('\n'),
      ),
    );
  if (message.gaps.length)
    blocks.push(
      section(
        [
          `*${message.gapsHeading}:*`,
          ...message.gaps
            .slice(0, 10)
            .map(
              (g) =>
                `• *${escapeText(truncate(g.label, 80))}* (${g.countText}): “${escapeText(truncate(g.example, 150))}”`,
            ),
        ].join('\n'),
      ),
    );
  return blocks;
}

/** A digest as Block Kit: what is new or updated (with cited sentences), then the most-asked questions. */
export function digestMessage(digest: Digest): SlackMessage {
  const message = digestMessageOf(digest);
  const tail = tailBlocks(message);
  const count = message.articles.length;
  return fitMessage((budget) => {
    const blocks: Block[] = [
      { type: 'header', text: { type: 'plain_text', text: truncate(message.title, 150) } },
      section(escapeText(message.summary)),
    ];
    // Each article gets an equal share of the budget, within a section's limit.
    const perArticle = Math.min(SECTION_LIMIT, Math.max(200, Math.floor(budget / Math.max(1, count))));
    let shown = 0;
    let used = 0;
    for (const article of message.articles) {
      const text = articleText(article, perArticle);
      if (used + text.length > budget || blocks.length >= MAX_BLOCKS - 4) break;
      blocks.push(section(text));
      used += text.length;
      shown++;
    }
    if (shown < count) blocks.push(context(`…and ${count - shown} more.`));
    blocks.push(...tail);
    if (message.asOf) blocks.push(context(escapeText(message.asOf)));
    return { text: fallbackText(renderDigestMessageText(message)), blocks };
  });
}
