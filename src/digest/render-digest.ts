import { type DigestArticle, type DigestMessage, digestMessageOf } from '../messages/digest-message.ts';
import { sourceLine } from '../messages/strings.ts';
import type { Digest } from './types.ts';

export { digestHeadline, formatSince } from '../messages/digest-message.ts';

function articleLines(article: DigestArticle): string[] {
  const { n, source } = article;
  const lines = [`[${n}] ${sourceLine(source)}${source.url ? ` <${source.url}>` : ''}`];
  for (const quote of article.quotes) lines.push(`    “${quote}” [${n}]`);
  return lines;
}

/** "Corrections:" then per corrected article its line, what changed and the sentences before and after. */
export function correctionLines(
  message: Pick<DigestMessage, 'correctionsHeading' | 'corrections'>,
): string[] {
  const lines = [`${message.correctionsHeading}:`];
  for (const item of message.corrections) {
    lines.push(`- ${item.line}${item.url ? ` <${item.url}>` : ''}`);
    for (const change of item.changes) lines.push(`    ${change}`);
  }
  return lines;
}

function gapLines(message: DigestMessage): string[] {
  if (!message.gaps.length) return [];
  return [
    '',
    `${message.gapsHeading}:`,
    ...message.gaps.map((g) => `  ${g.label} (${g.countText}): “${g.example}”`),
  ];
}

/** The terminal text of a neutral digest message (the console publisher and the platforms' fallback text). */
export function renderDigestMessageText(message: DigestMessage): string {
  const lines = [message.summary];
  if (!message.articles.length && !message.corrections.length)
    return [...lines, ...gapLines(message)].join('\n');
  for (const group of message.groups) {
    lines.push('', group.heading);
    group.articles.forEach((article, i) => {
      if (i > 0) lines.push('');
      lines.push(...articleLines(article));
    });
  }
  if (message.corrections.length) lines.push('', ...correctionLines(message));
  if (message.questions.length) {
    lines.push('', `${message.questionsHeading}:`);
    for (const q of message.questions) lines.push(`  ${q.count}× ${q.question}`);
  }
  lines.push(...gapLines(message));
  if (message.asOf) lines.push('', message.asOf);
  return lines.join('\n');
}

/** Render a digest for a terminal (and the console publisher): cited sentences under each article. */
export function renderDigestText(digest: Digest, timeZone = digest.timeZone ?? 'UTC'): string {
  return renderDigestMessageText(digestMessageOf(digest, timeZone));
}
