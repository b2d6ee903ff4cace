import type { Answer } from '../answering/types.ts';

/** What is kept of one answer so its votes carry the question and Share can re-post it. */
export interface RememberedAnswer {
  question: string;
  answer: Answer;
}

/** A bounded map from answer id to the answer given (oldest forgotten first). */
export interface AnswerMemory {
  remember(answerId: string, answer: Answer): void;
  recall(answerId: string): RememberedAnswer | undefined;
}

/** At most `limit` answers (default 5000), forgetting the oldest first. */
export function createAnswerMemory(limit = 5000): AnswerMemory {
  const answers = new Map<string, RememberedAnswer>();
  return {
    remember(answerId, answer) {
      answers.delete(answerId);
      answers.set(answerId, { question: answer.question, answer });
      if (answers.size > limit) answers.delete(answers.keys().next().value!);
    },
    recall: (answerId) => answers.get(answerId),
  };
}
