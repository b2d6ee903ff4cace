/** Where a question or vote came from. */
export type Platform = 'slack' | 'discord' | 'terminal';

/** A 👍/👎 on one answer by one user; a later vote by the same user on the same answer replaces it. */
export interface VoteInput {
  platform: Platform;
  /** Id the adapter gave the answer message (kept in the buttons' value). */
  answerId: string;
  /** The platform's user id; stores keep only a salted hash of it. */
  userId: string;
  value: 'up' | 'down';
  /** The question answered, for reading feedback later. */
  question?: string;
}

/** Votes so far on one answer. */
export interface VoteTally {
  up: number;
  down: number;
}

/** Stores answer feedback. */
export interface FeedbackStore {
  /** Record (or change) a user's vote and return the answer's tally. */
  recordVote(vote: VoteInput): Promise<VoteTally>;
}

/** One question as the audit log keeps it. */
export interface QuestionRecord {
  at: Date;
  platform: Platform;
  /** The platform's user id; stores keep only a salted hash of it. */
  userId: string;
  question: string;
  answered: boolean;
  citedDocIds: string[];
  latencyMs: number;
}

/** The audit log of questions asked. */
export interface AuditLog {
  recordQuestion(record: QuestionRecord): Promise<void>;
  /** The most-asked questions (case- and space-folded) since a time, most first. */
  topQuestions(since: Date, limit: number): Promise<Array<{ question: string; count: number }>>;
}

/**
 * Remembers which deliveries were handled, so a platform's redelivery of the same event
 * (Slack's retries, a duplicate interaction) is answered once.
 */
export interface DeliveryLedger {
  /** True the first time `key` is claimed; false for every later claim of the same key. */
  claim(key: string): Promise<boolean>;
}
