import type { types } from '@slack/bolt';
import type { Answer, ArticleSummary, Citation, RelatedArticle } from '../../src/answering/types.ts';
import {
  type AnswerMessage,
  answerMessageOf,
  emphasiseSnippet,
  type QuoteBlock,
  renderMessageText,
  SHARE_LABEL,
  silentLine,
  sourceLine,
} from '../../src/messages/index.ts';
import { clipEscaped, escapeText, quoteLines, slackLink, truncate } from './escape.ts';

/** A Block Kit block. */
export type Block = types.KnownBlock;

/** A message as chat.postMessage / response_url take it: blocks plus the plain fallback `text`. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's limit on one section's text. */
export const SECTION_LIMIT = 3000;
/** Slack's limit on blocks in one message. */
export const MAX_BLOCKS = 50;
/** Characters of text first offered to the blocks of one message (shrunk until the message fits). */
export const BLOCK_TEXT_BUDGET = 6000;
/** The most a whole message may weigh as JSON: well under Slack's 12,000-character ceiling. */
export const MESSAGE_BUDGET = 10_000;
/** Characters of the plain `text` fallback (notifications, screen readers), after escaping. */
export const FALLBACK_LIMIT = 1000;
/** Slack's limit on a button's value. */
const BUTTON_VALUE_LIMIT = 2000;
/** Longest question echoed above an answer, and kept in vote buttons. */
const QUESTION_ECHO_LIMIT = 300;
const VOTE_QUESTION_LIMIT = 200;

/** Action ids of the buttons under answers. */
export const ACTIONS = {
  voteUp: 'peacedesk_vote_up',
  voteDown: 'peacedesk_vote_down',
  share: 'peacedesk_share',
} as const;

/** What a vote or share button carries: the answer's id and its question. */
export interface ButtonValue {
  answerId: string;
  question: string;
}

/** Options of {@link answerMessage}. */
export interface AnswerMessageOptions {
  /** Id of this answer, kept in the buttons (votes are stored per answer). */
  answerId: string;
  /** Add a "Share in channel" button (private answers to a slash command). */
  shareable?: boolean;
  /** Who asked, when the answer is shared to a channel on their behalf. */
  sharedBy?: string;
}

// Article and user text goes into mrkdwn with `verbatim` so Slack does not auto-link or parse it.
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
/** A section of escaped mrkdwn, within Slack's limit. */
export const section = (text: string): Block => ({
  type: 'section',
  text: mrkdwn(clipEscaped(text, SECTION_LIMIT)),
});
/** A context line of escaped mrkdwn, within Slack's limit. */
export const context = (text: string): Block => ({
  type: 'context',
  elements: [mrkdwn(clipEscaped(text, SECTION_LIMIT))],
});

/** Plain text escaped for the message's `text` fallback, within {@link FALLBACK_LIMIT}. */
export const fallbackText = (text: string) => clipEscaped(escapeText(text), FALLBACK_LIMIT);

/**
 * Build a message with a shrinking text budget until its JSON fits {@link MESSAGE_BUDGET}
 * (escaping can make text up to five times longer, so lengths are measured, not predicted).
 */
export function fitMessage(build: (textBudget: number) => SlackMessage): SlackMessage {
  for (let budget = BLOCK_TEXT_BUDGET; ; budget = Math.floor(budget * 0.7)) {
    const message = build(budget);
    if (JSON.stringify(message).length <= MESSAGE_BUDGET || budget < 300) return message;
  }
}

/** `text` shortened (with "…") until it is at most `max` characters once escaped. */
function truncateEscaped(text: string, max: number): string {
  let kept = text;
  while (escapeText(kept).length > max && kept.length > 1) {
    const ratio = max / escapeText(kept).length;
    kept = truncate(text, Math.max(1, Math.min(kept.length - 1, Math.floor(kept.length * ratio))));
  }
  return kept;
}

/** An article with its fields escaped (title linked when `linked`), for the core's line builders. */
function slackArticle(
  article: RelatedArticle,
  linked: boolean,
  titleMax = 200,
  sourceMax = 100,
): RelatedArticle {
  return {
    ...article,
    title: slackLink(linked ? article.url : null, truncateEscaped(article.title, titleMax)),
    source: escapeText(truncateEscaped(article.source, sourceMax)),
    published: escapeText(truncate(article.published, 20)),
  };
}

/**
 * "Title — Outlet, date" with the title linked to the article when it has a URL, within `max`
 * characters (a link that does not fit is dropped before the text is shortened).
 */
export function linkedSourceLine(article: RelatedArticle, max = 800): string {
  const linked = sourceLine(slackArticle(article, true));
  return linked.length <= max ? linked : clipEscaped(sourceLine(slackArticle(article, false)), max);
}

/** "Silent on this: …" with each document linked when it fits, within about `max` characters. */
export function silentContext(silent: readonly RelatedArticle[], max: number): string {
  const each = Math.max(60, Math.floor(max / Math.max(1, silent.length)) - 2);
  const titleMax = Math.max(20, Math.floor(each * 0.6));
  const sourceMax = Math.max(10, Math.floor(each * 0.25));
  return silentLine(
    silent.map((article) => {
      const linked = slackArticle(article, true, titleMax, sourceMax);
      return sourceLine(linked).length <= each ? linked : slackArticle(article, false, titleMax, sourceMax);
    }),
  );
}

/** Bold matched terms (`*term*`), then escape: `*` is not one of `&<>`, so the offsets stay valid. */
function formatSnippet(citation: { snippet: string; highlights: QuoteBlock['highlights'] }): string {
  return escapeText(emphasiseSnippet(citation, (text) => `*${text}*`));
}

/** The quoted snippet of a citation, cut (at the end, with "…") to fit `budget` characters. */
export function quotedSnippet(
  citation: Pick<Citation | QuoteBlock, 'n' | 'snippet' | 'highlights'>,
  budget: number,
): string {
  const render = (snippet: string, highlights: QuoteBlock['highlights']) =>
    quoteLines(`“${formatSnippet({ snippet, highlights })}” [${citation.n}]`);
  let text = render(citation.snippet, citation.highlights);
  let keep = citation.snippet.length;
  while (text.length > budget && keep > 0) {
    keep = Math.max(0, Math.min(keep - 1, Math.floor((keep * budget) / text.length) - 2));
    const kept = citation.snippet.slice(0, keep).trimEnd();
    text = render(
      `${kept}…`,
      citation.highlights.filter(([, end]) => end <= kept.length),
    );
  }
  return text;
}

/** Serialise a button value, shortening the question until it fits Slack's 2,000 characters. */
export function encodeButtonValue(value: ButtonValue): string | undefined {
  let question = value.question;
  for (;;) {
    const encoded = JSON.stringify({ a: value.answerId, q: question });
    if (encoded.length <= BUTTON_VALUE_LIMIT) return encoded;
    if (question.length === 0) return undefined;
    question = question.slice(0, Math.floor(question.length * 0.8));
  }
}

/** Read a button value written by {@link encodeButtonValue}; undefined when it is not one. */
export function decodeButtonValue(raw: string | undefined): ButtonValue | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { a?: unknown; q?: unknown };
    if (typeof parsed.a !== 'string' || typeof parsed.q !== 'string') return undefined;
    return { answerId: parsed.a, question: parsed.q };
  } catch {
    return undefined;
  }
}

function answerButtons(answer: AnswerMessage, options: AnswerMessageOptions): Block {
  const full = encodeButtonValue({ answerId: options.answerId, question: answer.question });
  const vote =
    encodeButtonValue({
      answerId: options.answerId,
      question: truncate(answer.question, VOTE_QUESTION_LIMIT),
    }) ?? JSON.stringify({ a: options.answerId, q: '' });
  const elements: types.Button[] = [
    {
      type: 'button',
      action_id: ACTIONS.voteUp,
      text: { type: 'plain_text', text: '👍 Helpful', emoji: true },
      value: vote,
    },
    {
      type: 'button',
      action_id: ACTIONS.voteDown,
      text: { type: 'plain_text', text: '👎 Not helpful', emoji: true },
      value: vote,
    },
  ];
  // The button carries the whole question with the answer id, so only offer it when that fits.
  const complete = full !== undefined && decodeButtonValue(full)?.question === answer.question;
  if (answer.actions.includes('share') && complete) {
    elements.push({
      type: 'button',
      action_id: ACTIONS.share,
      text: { type: 'plain_text', text: SHARE_LABEL, emoji: true },
      style: 'primary',
      value: full,
    });
  }
  return { type: 'actions', block_id: 'peacedesk_feedback', elements };
}

/**
 * A comparison or timeline: the heading, then per document its label (bold) over the quoted
 * snippet and its source line, the documents silent on the topic, and "As of …".
 */
function perspectiveBlocks(answer: AnswerMessage, budget: number): Block[] {
  const blocks: Block[] = [];
  if (answer.heading) blocks.push(section(`*${escapeText(truncateEscaped(answer.heading, 500))}*`));
  // A fifth of the budget for the silent line, the rest shared by the rows as in a plain answer.
  const rowsBudget = answer.silent.length ? Math.floor((budget * 4) / 5) : budget;
  const share = Math.floor(rowsBudget / Math.max(1, answer.quotes.length));
  for (const citation of answer.quotes) {
    const labelMax = Math.max(60, Math.floor(share / 4));
    const label = citation.label ? `*${escapeText(truncateEscaped(citation.label, labelMax))}*\n` : '';
    const quote = quotedSnippet(
      citation,
      Math.min(SECTION_LIMIT - label.length, Math.max(120, Math.floor((share * 2) / 3) - label.length)),
    );
    blocks.push({ type: 'section', text: mrkdwn(`${label}${quote}`) });
    blocks.push(
      context(
        `[${citation.n}] ${linkedSourceLine(citation.source, Math.max(80, Math.floor(share / 3)))}${copiesAndCorrections(citation)}`,
      ),
    );
  }
  if (answer.silent.length)
    blocks.push(context(silentContext(answer.silent, Math.min(SECTION_LIMIT, Math.floor(budget / 5)))));
  if (answer.asOf) blocks.push(context(escapeText(answer.asOf)));
  return blocks;
}

/** An answer as Block Kit: the question, quoted snippets with sources, 👍/👎 (and share) buttons. */
export function answerMessage(answer: Omit<Answer, 'text'>, options: AnswerMessageOptions): SlackMessage {
  return renderAnswerBlocks(answerMessageOf(answer, { shareable: options.shareable ?? false }), options);
}

/** The neutral answer message as Block Kit, within Slack's block, section and message limits. */
export function renderAnswerBlocks(message: AnswerMessage, options: AnswerMessageOptions): SlackMessage {
  const buttons = answerButtons(message, options);
  const text = fallbackText(renderMessageText(message));
  return fitMessage((budget) => {
    const blocks: Block[] = [];
    const asked = escapeText(truncate(message.question, QUESTION_ECHO_LIMIT));
    blocks.push(section(`*Question:* ${asked}`));
    // A follow-up says what it took over from the thread.
    if (message.followsOn) blocks.push(context(escapeText(truncate(message.followsOn, 600))));
    if (options.sharedBy) blocks.push(context(`Asked by <@${options.sharedBy}>`));
    if (message.kind === 'usage') blocks.push(section(escapeText(message.body ?? '')));
    else if (message.kind === 'comparison' || message.kind === 'timeline')
      blocks.push(...perspectiveBlocks(message, budget));
    else if (message.kind === 'decline') blocks.push(declineSection(message, budget));
    else blocks.push(...quoteBlocks(message, budget));
    // maxCitations is at most 10 and MAX_ROWS 8: 2 blocks each plus 6 stays under 50, but keep the rule.
    return { text, blocks: [...blocks.slice(0, MAX_BLOCKS - 1), buttons] };
  });
}

/** The decline wording, then the closest articles linked, sharing the budget. */
function declineSection(message: AnswerMessage, budget: number): Block {
  const lines = [message.body ?? ''];
  if (message.related.length) {
    const each = Math.max(100, Math.floor(budget / message.related.length) - 3);
    lines.push(
      '',
      message.relatedHeading,
      ...message.related.map((article) => `• ${linkedSourceLine(article, each)}`),
    );
  }
  return section(lines.join('\n'));
}

/** Per quote a section and its source line; each gets an equal share: two thirds quote, one third source. */
function quoteBlocks(message: AnswerMessage, budget: number): Block[] {
  const blocks: Block[] = [];
  const share = Math.floor(budget / Math.max(1, message.quotes.length));
  for (const quote of message.quotes) {
    blocks.push({
      type: 'section',
      text: mrkdwn(quotedSnippet(quote, Math.min(SECTION_LIMIT, Math.max(120, Math.floor((share * 2) / 3))))),
    });
    blocks.push(
      context(
        `[${quote.n}] ${linkedSourceLine(quote.source, Math.max(80, Math.floor(share / 3)))}${copiesAndCorrections(quote)}`,
      ),
    );
  }
  if (message.asOf) blocks.push(context(escapeText(message.asOf)));
  return blocks;
}

/** A short message with no buttons (usage errors, apologies, confirmations). */
export function noticeMessage(text: string): SlackMessage {
  return { text: fallbackText(text), blocks: [section(escapeText(text))] };
}

/** The corpus as a list of linked source lines, newest first (`/peacedesk sources`). */
export function sourcesMessage(articles: readonly ArticleSummary[]): SlackMessage {
  const heading = `*${articles.length} article${articles.length === 1 ? '' : 's'} in the sources* (newest first):`;
  return fitMessage((budget) => {
    const blocks: Block[] = [section(heading)];
    let chunk: string[] = [];
    let chunkChars = 0;
    let chars = heading.length;
    let shown = 0;
    const flush = () => {
      if (chunk.length) blocks.push(section(chunk.join('\n')));
      chunk = [];
      chunkChars = 0;
    };
    for (const article of articles) {
      const line = `• ${linkedSourceLine(article, 500)}`;
      if (chars + line.length > budget || blocks.length >= MAX_BLOCKS - 2) break;
      if (chunkChars + line.length + 1 > SECTION_LIMIT) flush();
      chunk.push(line);
      chunkChars += line.length + 1;
      chars += line.length + 1;
      shown++;
    }
    flush();
    if (shown < articles.length) blocks.push(context(`…and ${articles.length - shown} more.`));
    return { text: `${articles.length} articles in the sources.`, blocks };
  });
}

/** How to use the bot in Slack (`/peacedesk help`), with the topics `compare` and `timeline` take. */
export function helpMessage(
  command: string,
  topics: readonly { id: string; label: string }[] = [],
): SlackMessage {
  const lines = [
    '*Ask peacedesk about the Russia–Ukraine peace proposals.* Answers quote the articles word for word and cite them; when the articles do not cover a question, it says so.',
    '',
    `• \`${command} What does the US draft say about NATO?\` answers privately, with a button to share the answer in the channel.`,
    `• \`${command} compare territory\` sets the proposals side by side on a topic, oldest first, and lists the documents silent on it.`,
    `• \`${command} timeline nato since August 2025\` follows the documents in date order (topic and date are optional).`,
    '• Mention the bot in a channel (`@peacedesk How much of Donbas does Russia hold?`) to get the answer in a thread.',
    '• Send the bot a direct message to ask in private.',
    `• \`${command} sources\` lists the articles; \`${command} help\` shows this.`,
    `• Editors: \`${command} add https://…\` adds an article from its link.`,
    '• 👍/👎 under an answer tells the newsroom whether it helped.',
  ];
  if (topics.length)
    lines.push(
      '',
      `*Topics:* ${topics.map((t) => `\`${escapeText(t.id)}\` (${escapeText(t.label)})`).join(', ')}`,
    );
  return {
    text: `Ask with ${command} followed by a question, by mentioning the bot, or in a direct message.`,
    blocks: [section(lines.join('\n'))],
  };
}

/** After a source line: its other outlets, and each correction note on its quote (issue 16). */
function copiesAndCorrections(quote: QuoteBlock): string {
  const notes = quote.notes.map((note) => `\n_${escapeText(truncate(note, 600))}_`);
  return `${escapeText(truncate(quote.alsoPublished, 400))}${notes.join('')}`;
}
