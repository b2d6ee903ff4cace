import type { ArticleSummary } from '../answering/types.ts';
import type { Topic } from '../topics/topics.ts';

/** A prompt offered to start a conversation: a short title and the message it sends. */
export interface SuggestedPrompt {
  title: string;
  message: string;
}

/** Most prompts Slack shows in the agent DM. */
export const MAX_PROMPTS = 4;

/**
 * The prompts that open a conversation (Slack's agent DM): what changed since yesterday, the
 * newest article, then the first topics compared. Same list on every platform that offers prompts.
 */
export function suggestedPrompts(
  articles: readonly ArticleSummary[],
  topics: readonly Topic[],
): SuggestedPrompt[] {
  const prompts: SuggestedPrompt[] = [
    { title: 'What changed since yesterday?', message: 'What has changed since yesterday?' },
  ];
  const newest = articles[0];
  if (newest) {
    const title = newest.title.length > 60 ? `${newest.title.slice(0, 59).trimEnd()}…` : newest.title;
    prompts.push({ title: `Newest: ${title}`, message: `What does "${newest.title}" say?` });
  }
  for (const topic of topics) {
    if (prompts.length >= MAX_PROMPTS) break;
    prompts.push({ title: `Compare on ${topic.label}`, message: `Compare the proposals on ${topic.id}.` });
  }
  return prompts;
}
