import type { AnswerOptions, Engine } from '../answering/engine.ts';
import type { Answer } from '../answering/types.ts';
import { validateQuestion } from '../answering/validate-question.ts';
import {
  contextAfter,
  type FollowUpRule,
  planFollowUp,
  type ThreadArticle,
  type ThreadContext,
} from './context.ts';

/** What a conversation needs from the engine (an awaited answer, so a slower engine fits too). */
export type ConversationEngine = Pick<Engine, 'articles' | 'document'> & {
  answerAsync(question: string, options?: AnswerOptions): Promise<Answer>;
};

/** One answered message of a conversation, and the context to keep for the next one. */
export interface ConversationTurn {
  answer: Answer;
  context: ThreadContext;
  rule: FollowUpRule;
}

/** The corpus's articles with the names they can be called by. */
export function threadArticles(engine: ConversationEngine): ThreadArticle[] {
  return engine.articles().map((a) => {
    const proposal = engine.document(a.docId)?.proposal;
    return {
      docId: a.docId,
      title: a.title,
      source: a.source,
      published: a.published,
      ...(proposal && { proposal }),
    };
  });
}

/**
 * Answer a message in a conversation: read it with the context rules (src/threads/context.ts),
 * ask the engine with the inherited articles and dates as options, and say what was inherited.
 * Throws what the engine throws for bad input (PeacedeskError).
 */
export async function converse(
  engine: ConversationEngine,
  text: string,
  context: ThreadContext | null,
  today: Date,
): Promise<ConversationTurn> {
  // Checked before the rules read it: empty, huge or control-character input gets the engine's message.
  validateQuestion(text);
  const plan = await planFollowUp(text, {
    context,
    articles: threadArticles(engine),
    today,
    answersAlone: async (question) => (await engine.answerAsync(question)).answered,
  });
  const raw = await engine.answerAsync(plan.question, plan.options);
  // Small talk ("help", "thanks") follows on from nothing and leaves the conversation as it was.
  if (raw.kind === 'usage')
    return { answer: raw, context: context ?? contextAfter(plan, []), rule: plan.rule };
  const answer = plan.followsOn ? withFollowsOn(raw, plan.followsOn) : raw;
  const cited = answer.citations.map((c) => c.docId);
  return { answer, context: contextAfter(plan, cited), rule: plan.rule };
}

/** The answer with what it followed on from (every renderer shows it). */
function withFollowsOn(answer: Answer, followsOn: NonNullable<Answer['followsOn']>): Answer {
  return { ...answer, followsOn };
}
