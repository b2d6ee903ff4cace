import type { Answer } from '../answering/types.ts';
import type { Platform, QuestionRecord } from '../store/types.ts';
import { findTopic } from '../topics/topics.ts';

/** Who asked, where, and when the answer was started and finished. */
export interface AskedContext {
  platform: Platform;
  /** The platform's user id; the store keeps only a salted hash of it. */
  userId: string;
  /** Id the adapter gave the answer message (what votes on it carry). */
  answerId: string;
  started: Date;
  finished: Date;
  /** What to log as the question when it differs from the engine's (a subcommand as typed). */
  asked?: string;
  /** The Slack workspace (team id) asked in, when the platform says. */
  workspaceId?: string | undefined;
}

/**
 * The audit record of one answer: every surface records through this, so coverage gaps and
 * feedback read the same fields whichever platform the question came from.
 */
export function questionRecordOf(answer: Answer, context: AskedContext): QuestionRecord {
  const question = context.asked ?? answer.question;
  return {
    at: context.started,
    platform: context.platform,
    userId: context.userId,
    question,
    answered: answer.answered,
    citedDocIds: [...new Set(answer.citations.map((c) => c.docId))],
    latencyMs: context.finished.getTime() - context.started.getTime(),
    answerId: context.answerId,
    topic: findTopic(question)?.id ?? null,
    relatedDocIds: answer.related.map((r) => r.docId),
    citations: answer.citations.map((c) => ({ docId: c.docId, snippet: c.snippet })),
    ...(context.workspaceId && { workspaceId: context.workspaceId }),
  };
}
