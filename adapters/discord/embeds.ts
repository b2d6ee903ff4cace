import {
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Answer, ArticleSummary, RelatedArticle } from '../../src/answering/types.ts';
import type { Digest } from '../../src/digest/types.ts';
import {
  type AnswerMessage,
  answerMessageOf,
  correctionLines,
  type DigestArticle,
  type DigestMessage,
  digestMessageOf,
  emphasiseSnippet,
  type QuoteBlock,
  renderDigestMessageText,
  SHARE_LABEL,
  silentLine,
  sourceLine,
} from '../../src/messages/index.ts';
import type { MessagePayload } from './command.ts';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedsTotal: 6000,
  embedsPerMessage: 10,
} as const;

const COLOR = { answer: 0x2b6cb0, declined: 0x718096, digest: 0x2f855a } as const;

// Characters Discord's markdown treats specially anywhere (a backslash before punctuation shows it
// literally; `[`/`]` cover masked links, `<` mentions and timestamps), and those that only matter
// at the start of a line (quotes, headings, lists).
const MARKDOWN = /[\\*_~`|[\]<]/g;
const LINE_START = /^(\s*)([>#-]|\d+\.)/;

/**
 * Escape text (article or user text) so Discord shows it literally, on one line: no formatting,
 * no masked links, no rendered mentions.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(MARKDOWN, '\\$&')
    .replace(LINE_START, (_, space: string, mark: string) =>
      // A backslash before a digit would show; escape the list's dot instead.
      mark.endsWith('.') ? `${space}${mark.slice(0, -1)}\\.` : `${space}\\${mark}`,
    );
}

/** Cut plain text to `max` characters, marking the cut with "…". */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** The characters of an embed that count towards Discord's 6,000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** "Title — Outlet, date", escaped, as a link when the article has a URL; at most `max` characters. */
export function linkedSource(article: RelatedArticle, max: number = LIMITS.fieldValue): string {
  const url = article.url && /^https?:\/\/\S+$/.test(article.url) ? article.url.replace(/\)/g, '%29') : null;
  const label = (room: number) => {
    let raw = sourceLine(article);
    let escaped = escapeMarkdown(raw);
    while (escaped.length > room && raw.length > 1) {
      raw = truncate(raw, Math.floor(raw.length * 0.9));
      escaped = escapeMarkdown(raw);
    }
    return escaped;
  };
  if (url && url.length + 8 < max) return `[${label(max - url.length - 4)}](${url})`;
  return label(max);
}

/** Custom id of a vote button: "vote:up:<answerId>". */
export function voteCustomId(value: 'up' | 'down', answerId: string): string {
  return `vote:${value}:${answerId}`;
}

/** The vote and answer id in a button's custom id, or null when it is not one of ours. */
export function parseVoteCustomId(customId: string): { value: 'up' | 'down'; answerId: string } | null {
  const match = /^vote:(up|down):([\w-]{1,80})$/.exec(customId);
  return match ? { value: match[1] as 'up' | 'down', answerId: match[2]! } : null;
}

/** Custom id of the share button under a private answer: "answer-share:<answerId>". */
export function shareAnswerCustomId(answerId: string): string {
  return `answer-share:${answerId}`;
}

/** The answer id in a share button's custom id, or null when it is not one. */
export function parseShareAnswerCustomId(customId: string): string | null {
  return /^answer-share:([\w-]{1,80})$/.exec(customId)?.[1] ?? null;
}

/** 👍/👎 under every answer, and "Share in channel" when the message offers sharing. */
function actionButtons(message: AnswerMessage, answerId: string): NonNullable<MessagePayload['components']> {
  const vote = (value: 'up' | 'down'): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: voteCustomId(value, answerId),
    emoji: { name: value === 'up' ? '👍' : '👎' },
  });
  const share: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    custom_id: shareAnswerCustomId(answerId),
    label: SHARE_LABEL,
  };
  return [
    {
      type: ComponentType.ActionRow,
      components: [vote('up'), vote('down'), ...(message.actions.includes('share') ? [share] : [])],
    },
  ];
}

/** A citation's snippet quoted, article text escaped and matched terms in bold. */
export function quoteCitation(citation: Pick<QuoteBlock, 'n' | 'snippet' | 'highlights' | 'notes'>): string {
  const notes = citation.notes.map((note) => `\n-# ${escapeMarkdown(truncate(note, 600))}`);
  return `> ${emphasiseSnippet(citation, (t) => `**${escapeMarkdown(t)}**`, escapeMarkdown)} [${citation.n}]${notes.join('')}`;
}

// Shorten a snippet (keeping the highlights that still fit) and mark the cut.
function shorten<T extends Pick<QuoteBlock, 'snippet' | 'highlights'>>(citation: T, length: number): T {
  const snippet = `${citation.snippet.slice(0, Math.max(1, length)).trimEnd()}…`;
  const cut = snippet.length - 1;
  const highlights = citation.highlights
    .filter(([start]) => start < cut)
    .map(([start, end]) => [start, Math.min(end, cut)] as const)
    .filter(([start, end]) => end > start);
  return { ...citation, snippet, highlights };
}

function titleFor(question: string): string {
  return truncate(question.replace(/\s+/g, ' ').trim(), LIMITS.title);
}

/** Options of {@link answerMessage}. */
export interface AnswerPayloadOptions {
  /** Offer "Share in channel" (a private answer in a server channel). */
  shareable?: boolean;
  /** A shared answer: who asked, shown above it (a mention that pings nobody). */
  sharedBy?: string;
}

/** An answer as one embed with 👍/👎 buttons; a declined question says so and lists related articles. */
export function answerMessage(
  answer: Omit<Answer, 'text'>,
  answerId: string,
  options: AnswerPayloadOptions = {},
): MessagePayload {
  const message = renderAnswerEmbeds(
    answerMessageOf(answer, { shareable: options.shareable ?? false }),
    answerId,
  );
  return options.sharedBy && /^\d{17,20}$/.test(options.sharedBy)
    ? { ...message, content: `Asked by <@${options.sharedBy}>` }
    : message;
}

/** The neutral answer message as an embed with its buttons, within Discord's embed limits. */
export function renderAnswerEmbeds(answer: AnswerMessage, answerId: string): MessagePayload {
  const message = answerMessageBody(answer, answerId);
  // A follow-up says what it took over from the thread, above the title (plain text there).
  const embed = message.embeds?.[0];
  if (answer.followsOn && embed) embed.author = { name: truncate(answer.followsOn, LIMITS.title) };
  return message;
}

function answerMessageBody(answer: AnswerMessage, answerId: string): MessagePayload {
  const components = actionButtons(answer, answerId);
  if (answer.kind === 'usage')
    return {
      embeds: [
        {
          title: titleFor(answer.question),
          description: escapeMarkdown(answer.body ?? ''),
          color: COLOR.answer,
        },
      ],
      components,
    };
  if (answer.kind === 'comparison' || answer.kind === 'timeline')
    return { embeds: [perspectiveEmbed(answer)], components };
  if (answer.kind === 'decline') {
    const embed: APIEmbed = {
      title: titleFor(answer.question),
      description: answer.body ?? '',
      color: COLOR.declined,
    };
    const lines: string[] = [];
    for (const article of answer.related.slice(0, 10)) {
      const line = `• ${linkedSource(article, 300)}`;
      if ([...lines, line].join('\n').length > LIMITS.fieldValue) break;
      lines.push(line);
    }
    if (lines.length) embed.fields = [{ name: 'Closest articles', value: lines.join('\n') }];
    return { embeds: [embed], components };
  }

  const citations = answer.quotes.slice(0, LIMITS.fields);
  // Sources get at most 2,400 characters together, so the quotes always keep room.
  const perField = Math.min(LIMITS.fieldValue, Math.floor(2400 / Math.max(1, citations.length)));
  const fields: APIEmbedField[] = citations.map((c) => ({
    name: `[${c.n}]`,
    value: truncate(
      `${linkedSource(c.source, perField)}${escapeMarkdown(c.alsoPublished)}`,
      LIMITS.fieldValue,
    ),
  }));
  const embed: APIEmbed = {
    title: titleFor(answer.question),
    color: COLOR.answer,
    fields,
    ...(answer.asOf ? { footer: { text: answer.asOf } } : {}),
  };
  const describe = (cs: readonly QuoteBlock[]) => cs.map(quoteCitation).join('\n\n');
  fitDescription(embed, citations, describe);
  return { embeds: [embed], components };
}

/**
 * A comparison or timeline as one embed: the heading as title, then per citation its label in bold,
 * the quote and the linked source; the documents silent on the topic last; "As of …" in the footer.
 */
export function perspectiveEmbed(answer: AnswerMessage): APIEmbed {
  const heading = answer.heading ?? answer.question;
  const embed: APIEmbed = {
    title: truncate(heading.replace(/\s+/g, ' ').trim(), LIMITS.title),
    color: answer.answered ? COLOR.answer : COLOR.declined,
    ...(answer.asOf ? { footer: { text: answer.asOf } } : {}),
  };
  if (answer.silent.length) {
    // silentLine's wording, with each source linked; as many as fit in one field.
    const prefix = silentLine([]).replace(/\.$/, '');
    const parts: string[] = [];
    for (const article of answer.silent) {
      const next = [...parts, linkedSource(article, 300)];
      if (`${prefix}${next.join('; ')}.`.length > LIMITS.fieldValue) break;
      parts.splice(0, parts.length, ...next);
    }
    const more = answer.silent.length - parts.length;
    embed.fields = [
      {
        name: prefix.replace(/:\s*$/, ''),
        value: truncate(`${parts.join('; ')}${more ? `; and ${more} more` : ''}.`, LIMITS.fieldValue),
      },
    ];
  }
  const citations = answer.quotes.slice(0, LIMITS.fields);
  if (!citations.length) {
    embed.description = truncate(escapeMarkdown(heading), LIMITS.description);
    return embed;
  }
  // Labels and sources get at most 2,400 characters together, so the quotes always keep room.
  const budget = Math.floor(2400 / citations.length);
  const labels = new Map(
    citations.map((c) => [
      c.n,
      `**${escapeMarkdown(truncate(c.label ?? sourceLine(c.source), Math.floor(budget / 3)))}**`,
    ]),
  );
  const sources = new Map(
    citations.map((c) => [
      c.n,
      `${linkedSource(c.source, Math.floor(budget / 2))}${escapeMarkdown(c.alsoPublished)}`,
    ]),
  );
  const describe = (cs: readonly QuoteBlock[]) =>
    cs.map((c) => `${labels.get(c.n)}\n${quoteCitation(c)}\n${sources.get(c.n)}`).join('\n\n');
  fitDescription(embed, citations, describe);
  return embed;
}

/**
 * Set the embed's description from the citations, shortening the longest quote until every limit
 * holds (escaping can double a snippet's length).
 */
function fitDescription(
  embed: APIEmbed,
  start: readonly QuoteBlock[],
  describe: (citations: readonly QuoteBlock[]) => string,
): void {
  let citations = start;
  embed.description = describe(citations);
  while (embed.description.length > LIMITS.description || embedLength(embed) > LIMITS.embedsTotal) {
    const longest = citations.reduce((a, b) => (b.snippet.length > a.snippet.length ? b : a));
    if (longest.snippet.length <= 2) break; // cannot happen within the budgets above; never loop forever
    citations = citations.map((c) => (c === longest ? shorten(c, Math.floor(c.snippet.length * 0.8)) : c));
    embed.description = describe(citations);
  }
}

/** The corpus as a list (title — outlet, date; linked), split over embeds within every limit. */
export function sourcesMessage(articles: readonly ArticleSummary[]): MessagePayload {
  const lines = articles.map((a) => `• ${linkedSource(a, 600)}`);
  const embeds: APIEmbed[] = [];
  let total = 0;
  let shown = 0;
  let current: string[] = [];
  const title = `Sources (${articles.length} article${articles.length === 1 ? '' : 's'})`;
  const flush = () => {
    if (!current.length) return;
    const embed: APIEmbed = { description: current.join('\n'), color: COLOR.answer };
    if (!embeds.length) embed.title = title;
    embeds.push(embed);
    total += embedLength(embed);
    current = [];
  };
  for (const line of lines) {
    const description = [...current, line].join('\n');
    const reserve = 40 + title.length; // room for the "…and N more" note and the title
    if (total + description.length + reserve > LIMITS.embedsTotal) break;
    if (description.length > LIMITS.description - 40) {
      if (embeds.length + 1 >= LIMITS.embedsPerMessage) break;
      flush();
    }
    current.push(line);
    shown++;
  }
  if (shown < lines.length) current.push(`…and ${lines.length - shown} more`);
  flush();
  if (!embeds.length) return { content: 'The corpus is empty.' };
  return { embeds };
}

function articleEmbed(article: DigestArticle): APIEmbed {
  const { source } = article;
  const quotes = article.quotes.map((quote) => `> ${escapeMarkdown(quote)}`);
  let description = quotes.join('\n');
  while (description.length > 1500 && quotes.length > 1) {
    quotes.pop();
    description = quotes.join('\n');
  }
  return {
    title: truncate(source.title, LIMITS.title),
    ...(source.url && /^https?:\/\/\S+$/.test(source.url) ? { url: source.url } : {}),
    description: truncate(description, 1500),
    color: COLOR.digest,
    footer: {
      text: truncate(`${article.statusLabel} · ${source.source}, ${source.published}`, 200),
    },
  };
}

/** The embeds after the articles: corrections, the most-asked questions, the coverage gaps. */
function tailEmbeds(message: DigestMessage): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  if (message.corrections.length)
    embeds.push({
      title: message.correctionsHeading,
      description: truncate(escapeMarkdown(correctionLines(message).slice(1).join('\n')), LIMITS.description),
      color: COLOR.digest,
    });
  if (message.questions.length) {
    const lines = message.questions
      .slice(0, 10)
      .map((q) => `• ${escapeMarkdown(truncate(q.question, 180))} (${q.count})`);
    embeds.push({ title: message.questionsHeading, description: lines.join('\n'), color: COLOR.digest });
  }
  if (message.gaps.length) {
    const lines = message.gaps
      .slice(0, 10)
      .map(
        (g) =>
          `• **${escapeMarkdown(truncate(g.label, 80))}** (${g.countText}): “${escapeMarkdown(truncate(g.example, 180))}”`,
      );
    embeds.push({ title: message.gapsHeading, description: lines.join('\n'), color: COLOR.declined });
  }
  return embeds;
}

/**
 * A digest as one or more messages (10 embeds and 6,000 characters each): one embed per article,
 * then the most-asked questions. Nothing new -> the summary alone.
 */
export function digestMessages(digest: Digest): MessagePayload[] {
  const message = digestMessageOf(digest);
  const header = truncate(escapeMarkdown(message.summary), LIMITS.content);
  if (message.empty)
    return [
      {
        content: truncate(escapeMarkdown(renderDigestMessageText(message)) || 'Nothing new.', LIMITS.content),
      },
    ];
  const embeds = [...message.articles.map(articleEmbed), ...tailEmbeds(message)];
  const messages: MessagePayload[] = [];
  let current: APIEmbed[] = [];
  let total = 0;
  for (const embed of embeds) {
    const length = embedLength(embed);
    if (
      current.length &&
      (current.length >= LIMITS.embedsPerMessage || total + length > LIMITS.embedsTotal)
    ) {
      messages.push({ embeds: current });
      current = [];
      total = 0;
    }
    current.push(embed);
    total += length;
  }
  if (current.length) messages.push({ embeds: current });
  if (header && messages[0]) messages[0].content = header;
  return messages;
}
