import type { RelatedArticle } from '../answering/types.ts';
import type { Platform } from '../store/types.ts';
import type { Topic } from '../topics/topics.ts';

/** An article as a report names it; `title` etc. are null when it is no longer in the corpus. */
export interface ReportArticle {
  docId: string;
  title: string | null;
  source: string | null;
  published: string | null;
  url: string | null;
}

/** Declined questions that ask about the same thing: an assignment the corpus has not covered. */
export interface CoverageGap {
  /** Stable while the group's earliest wording stays in the window. */
  id: string;
  /** What it is about, for a heading: the focus words (and the topic when there is one). */
  label: string;
  /** The words asked about, as typed, commonest first. */
  focus: string[];
  topic: Topic | null;
  /** Times asked in the window. */
  count: number;
  /** Distinct askers (counted from salted hashes; no one is named). */
  askers: number;
  /** ISO times. */
  firstAsked: string;
  lastAsked: string;
  /** Up to two different phrasings, the most asked first. */
  examples: string[];
  platforms: Platform[];
  /** The engine's closest articles for these questions, most often named first. */
  closest: ReportArticle[];
  /** How often and how recently it was asked (each ask counts half after two weeks). */
  score: number;
}

/** A question once declined that the corpus now answers. */
export interface ClosedQuestion {
  question: string;
  /** Times it was declined in the window. */
  count: number;
  lastAsked: string;
  /** When it was first found answered (ISO). */
  closedAt: string;
  /** The top cited article of the answer it gets now. */
  closedBy: ReportArticle;
}

/** The coverage-gap report for a window of time. */
export interface GapReport {
  since: string;
  until: string;
  /** Declined questions in the window (closed ones included). */
  declined: number;
  gaps: CoverageGap[];
  closed: ClosedQuestion[];
}

/** A cited snippet as the answer showed it. */
export interface ReportCitation extends ReportArticle {
  snippet: string;
}

/** An answer someone voted 👎. */
export interface DownvotedAnswer {
  question: string;
  platform: Platform;
  /** When it was answered (ISO), or null if the answer is not in the question log. */
  answeredAt: string | null;
  up: number;
  down: number;
  citations: ReportCitation[];
  /** What voters wrote about it, oldest first. */
  comments: string[];
}

/** A snippet that led answers and was rarely voted up. */
export interface WeakCitation extends ReportCitation {
  /** Answers it was the top citation of. */
  answers: number;
  up: number;
  down: number;
}

/** A question (folded wording) and how often it was answered. */
export interface AskedQuestion {
  question: string;
  count: number;
  answered: number;
  /** answered / count, 0–1. */
  answerRate: number;
  askers: number;
}

/** The feedback report. */
export interface FeedbackReport {
  since: string;
  until: string;
  votes: { up: number; down: number };
  downvoted: DownvotedAnswer[];
  weakCitations: WeakCitation[];
  mostAsked: AskedQuestion[];
}

/** Questions asked on one day (UTC). */
export interface DayCount {
  /** YYYY-MM-DD. */
  day: string;
  asked: number;
  answered: number;
}

/** The questions report: volume per day and the most asked. */
export interface QuestionsReport {
  since: string;
  until: string;
  asked: number;
  answered: number;
  askers: number;
  days: DayCount[];
  mostAsked: AskedQuestion[];
}

/** Turns an engine article into a report article. */
export const reportArticle = (article: RelatedArticle): ReportArticle => ({
  docId: article.docId,
  title: article.title,
  source: article.source,
  published: article.published,
  url: article.url,
});
