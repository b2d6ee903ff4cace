/** A span of a snippet to emphasise: `[start, end)` offsets into `snippet`. */
export type Highlight = readonly [start: number, end: number];

/** One cited, verbatim snippet and the article it comes from. */
export interface Citation {
  /** 1-based marker used in `text` ("[1]"). */
  n: number;
  docId: string;
  title: string;
  source: string;
  /** YYYY-MM-DD. */
  published: string;
  url: string | null;
  /**
   * Verbatim article text: one sentence, or adjacent sentences; parts that are not adjacent in
   * the article are joined by " … ". Each part is an exact substring of the article body.
   */
  snippet: string;
  /** Relevance, 0–1, comparable within one answer. */
  score: number;
  /** Spans of `snippet` that matched the question's terms (adapters bold them). */
  highlights: Highlight[];
  /** Positions of the first and last sentence quoted, among the article's sentences. */
  sentences: readonly [first: number, last: number];
  /**
   * What this citation stands for in a comparison or timeline ("Russia (Vladimir Putin), 2025-08-21:
   * Putin's terms after the Alaska summit"); null in a plain answer.
   */
  label: string | null;
  /** Other outlets that published the same story (syndicated copies); attached outside the engine. */
  alsoPublishedBy?: Array<{ source: string; url: string; published: string }>;
  /** Corrections touching the quoted sentences ("Updated 3 Dec 2026: …"); attached outside the engine. */
  notes?: Array<{ kind: 'now-reads' | 'removed' | 'earlier-read'; at: string; text: string }>;
}

/** An article worth a look that is not cited (closest matches when the question is declined). */
export interface RelatedArticle {
  docId: string;
  title: string;
  source: string;
  published: string;
  url: string | null;
}

/**
 * A plain answer, a side-by-side comparison on a topic, a timeline of the documents, or a usage
 * reply to small talk ("hi", "help", "thanks": what the bot does and two example questions).
 */
export type AnswerKind = 'answer' | 'comparison' | 'timeline' | 'usage';

/** Why a plain answer cites nothing: the sources are silent, or the question is not in English. */
export type DeclineReason = 'not_in_sources' | 'not_english';

/** What the engine says to a question: plain data that every adapter renders its own way. */
export interface Answer {
  kind: AnswerKind;
  question: string;
  /** A line to show above the citations of a comparison or timeline; null for a plain answer. */
  heading: string | null;
  /** False when the sources do not cover the question (or it is small talk); then `citations` is empty. */
  answered: boolean;
  /** On a declined plain answer: why it was declined. Absent otherwise. */
  declineReason?: DeclineReason;
  citations: Citation[];
  related: RelatedArticle[];
  /** In a comparison: the documents that say nothing on the topic (listed, not padded). */
  silent: RelatedArticle[];
  /** The newest `published` date among the cited (or, when declined, related) articles. */
  asOf: string | null;
}

/** A corpus article as listed to users (`/sources`). */
export interface ArticleSummary extends RelatedArticle {
  sentences: number;
}

/** What a follow-up in a conversation took over from the question before it (see src/threads). */
export interface FollowsOn {
  /** The earlier question, as asked ("What does the US draft say about territory?"). */
  question: string;
  /** What was carried over, in words ("the articles: US draft peace plan…", "since 2025-08-01"). */
  inherited: string[];
}

// Declaration merging keeps Answer's original fields untouched above.
export interface Answer {
  /** Set when the answer follows on from an earlier question in the same thread or chat. */
  followsOn?: FollowsOn;
}
