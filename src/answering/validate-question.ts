import { PeacedeskError } from '../errors.ts';

/** Longest question accepted, in characters. Real questions are a sentence or two. */
export const MAX_QUESTION_LENGTH = 2000;

// C0/C1 control characters other than tab and line breaks, which are just white space here.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

// Platform mentions and channel links, with a "cc"/"fyi" that only introduces them: Slack's <@U123>,
// <@U123|name>, <!here>, <!channel>, <!subteam^S1>, <#C123|general>; Discord's <@123>, <@!123>,
// <@&role>, <#123>; typed @everyone / @here / @channel. They address people, not the question.
const MENTION =
  /(?:\b(?:cc|fyi|ping|attn)\b:?\s*)?(?:<(?:@[!&]?|!|#)[^<>\s][^<>]{0,120}>|(?<![\p{L}\p{N}])@(?:everyone|here|channel)\b)[,;:]?/giu;

/** A question with platform mentions removed ("What about NATO? cc <@U0999ZZZ>" -> "What about NATO?"). */
export function stripMentions(question: string): string {
  const stripped = question.replace(MENTION, ' ');
  // "say <!here>?" -> "say?": no space left before the closing mark where a mention stood.
  return stripped === question ? question : stripped.replace(/\s+(?=[?!.]+\s*$)/u, '');
}

/** Check a question and return it trimmed, with white space runs folded; throws a coded error. */
export function validateQuestion(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new PeacedeskError(
      'empty_question',
      'Ask a question, e.g. "What does the US draft say about NATO?"',
    );
  }
  if (raw.length >= MAX_QUESTION_LENGTH) {
    throw new PeacedeskError(
      'question_too_long',
      `That question is ${raw.length.toLocaleString('en-US')} characters long; please keep it under ${MAX_QUESTION_LENGTH.toLocaleString('en-US')}.`,
      { length: raw.length },
    );
  }
  if (CONTROL.test(raw)) {
    throw new PeacedeskError(
      'control_characters',
      'The question contains control characters; please type it as plain text.',
    );
  }
  const question = stripMentions(raw).replace(/\s+/g, ' ').trim();
  if (question === '') {
    throw new PeacedeskError(
      'empty_question',
      'Ask a question after the mention, e.g. "What does the US draft say about NATO?"',
    );
  }
  if (!/[\p{L}\p{N}]/u.test(question)) {
    throw new PeacedeskError(
      'no_searchable_terms',
      'Ask the question in words, e.g. "How much of Donbas does Russia hold?"',
    );
  }
  return question;
}
