import type { Answer, Highlight, RelatedArticle } from '../answering/types.ts';
import {
  alsoPublished,
  asOfLine,
  declineMessage,
  followsOnLine,
  RELATED_HEADING,
  silentLine,
  USAGE_MESSAGE,
} from './strings.ts';

// The neutral message: what every surface shows for an answer, built once from the engine's data.
// Renderers (Block Kit, Discord embeds, terminal text) only lay it out within their limits; the
// wording comes from ./strings.ts.

/** An article as a message cites it: the renderer writes "Title — Outlet, date" and links the URL. */
export type SourceRef = RelatedArticle;

/** One verbatim quote with its marker, what it stands for, its source and the notes under it. */
export interface QuoteBlock {
  /** The marker "[n]". */
  n: number;
  /** In a comparison or timeline, what the row stands for ("Russia (Vladimir Putin), 2025-08-21: …"). */
  label: string | null;
  /** Verbatim article text; renderers only escape it and may shorten it with "…". */
  snippet: string;
  /** `[start, end)` spans of `snippet` to emphasise. */
  highlights: readonly Highlight[];
  source: SourceRef;
  /** " (also published by AP, 2025-11-21)", or "". */
  alsoPublished: string;
  /** Correction notes on the quoted sentences ("Updated 3 Dec 2026: …"). */
  notes: string[];
}

/** What a person can do with a message: vote on it, or share a private answer in the channel. */
export type MessageAction = 'vote' | 'share';

/** An answer, declined question, usage reply, comparison or timeline, ready for any renderer. */
export interface AnswerMessage {
  kind: 'answer' | 'decline' | 'usage' | 'comparison' | 'timeline';
  /** The question as the engine read it (echoed above the answer). */
  question: string;
  /** The line over a comparison or timeline; null otherwise. */
  heading: string | null;
  /** "Following on from: …" on a follow-up; null otherwise. */
  followsOn: string | null;
  /** The words of a declined question or of a usage reply; null when quotes speak. */
  body: string | null;
  quotes: QuoteBlock[];
  /** With a declined question: the closest articles, under {@link AnswerMessage.relatedHeading}. */
  related: SourceRef[];
  relatedHeading: string;
  /** In a comparison: the documents silent on the topic, and the line that lists them. */
  silent: SourceRef[];
  silentLine: string | null;
  /** "As of 2025-08-21 (newest source cited)."; null without a date. */
  asOf: string | null;
  /** The answer's own `answered` (a timeline or comparison with nothing to show is false). */
  answered: boolean;
  actions: MessageAction[];
}

/** Options of {@link answerMessageOf}. */
export interface AnswerMessageOptions {
  /** Offer sharing (a private answer that can be re-posted in the channel). */
  shareable?: boolean;
}

const sourceOf = (article: RelatedArticle): SourceRef => ({
  docId: article.docId,
  title: article.title,
  source: article.source,
  published: article.published,
  url: article.url,
});

/** Build the neutral message for an answer (every renderer starts here). */
export function answerMessageOf(
  answer: Omit<Answer, 'text'>,
  options: AnswerMessageOptions = {},
): AnswerMessage {
  const kind =
    answer.kind === 'answer'
      ? answer.answered
        ? 'answer'
        : 'decline'
      : (answer.kind as AnswerMessage['kind']);
  return {
    kind,
    question: answer.question,
    heading: answer.heading,
    followsOn: answer.followsOn ? followsOnLine(answer.followsOn) : null,
    body: kind === 'usage' ? USAGE_MESSAGE : kind === 'decline' ? declineMessage(answer) : null,
    quotes: answer.citations.map((c) => ({
      n: c.n,
      label: c.label,
      snippet: c.snippet,
      highlights: c.highlights,
      source: sourceOf(c),
      alsoPublished: alsoPublished(c),
      notes: (c.notes ?? []).map((note) => note.text),
    })),
    related: kind === 'decline' ? answer.related.map(sourceOf) : [],
    relatedHeading: RELATED_HEADING,
    silent: answer.silent.map(sourceOf),
    silentLine: answer.silent.length ? silentLine(answer.silent) : null,
    asOf: answer.asOf ? asOfLine(answer.asOf) : null,
    answered: answer.answered,
    actions: options.shareable ? ['vote', 'share'] : ['vote'],
  };
}
