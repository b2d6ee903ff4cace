import { parseSince } from '../answering/intent.ts';
import type { FollowsOn } from '../answering/types.ts';
import { normalizeText } from '../text/normalize.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import { findTopic } from '../topics/topics.ts';

// The rules a conversation (a Slack or Discord thread, the terminal chat) follows, in order:
//  1. "the Reuters one": the earlier question again, on the one article whose outlet or title
//     holds those words;
//  2. "and since August?": the earlier question again, on articles from that date on;
//  3. a full question with its own subject (it refers back to nothing and is answered on its own,
//     or names other articles): a new context, as if the thread had just started;
//  4. anything else ("what about NATO?", "does it mention Crimea?"): asked on the earlier articles.
// Articles the earlier question named ("the US draft") stay with every follow-up; articles it was
// merely answered from stay only for rule 4 (a date narrows the question over the whole corpus).

/** An article as the rules see it: what it can be called by. */
export interface ThreadArticle {
  docId: string;
  title: string;
  source: string;
  published: string;
  /** The proposal it reports ("US draft peace plan"), if any. */
  proposal?: string;
}

/** What a conversation remembers between questions: small, plain data, stored per thread. */
export interface ThreadContext {
  /** The last question asked (what "the Reuters one" or "and since August?" asks again). */
  question: string;
  /** The articles the subject is about. */
  docIds: string[];
  /** True when the question named those articles; false when they are merely the ones it was answered from. */
  named: boolean;
  /** The topic (src/topics id) of the subject, or null. */
  topic: string | null;
  /** The earliest date asked for (YYYY-MM-DD), or null. */
  since: string | null;
}

/** Which rule read a message. */
export type FollowUpRule = 'first' | 'new-subject' | 'picks-article' | 'narrows-dates' | 'same-articles';

/** How to answer a message in a conversation: what to ask the engine, and with what restrictions. */
export interface FollowUpPlan {
  rule: FollowUpRule;
  /** The question the engine is asked. */
  question: string;
  /** The engine's restrictions (see AnswerOptions). */
  options: { docIds?: string[]; since?: string };
  /** What to say was inherited; absent when the message starts a context. */
  followsOn?: FollowsOn;
  /** The context once this message is answered, before the answer's own citations are added. */
  next: ThreadContext;
}

/** What {@link planFollowUp} needs besides the message. */
export interface PlanInput {
  /** The conversation so far; null for its first message. */
  context: ThreadContext | null;
  articles: readonly ThreadArticle[];
  today: Date;
  /** Whether the message, asked alone on the whole corpus, is answered (rule 3). */
  answersAlone: (question: string) => boolean | Promise<boolean>;
}

const LEAD_IN =
  /^(?:and|but|also|so|ok(?:ay)?|then|what about|how about|what of|and what about|and how about)\b[\s,]*/i;
const BACK_REFERENCE =
  /\b(?:it|its|it's|they|them|their|theirs|that|this|those|these|there|same|one|ones|he|she|his|her|above|earlier|previous)\b/i;
const PICK =
  /^(?:(?:and|so|what about|how about|only|just)\s+)*(?:in\s+|from\s+)?the\s+(.+?)\s+(?:one|article|story|report|piece|version|account)\s*[?.!]*$/i;
const PICK_FROM =
  /^(?:(?:and|so|what about|how about|only|just)\s+)*the one (?:from|by|in)\s+(.+?)\s*[?.!]*$/i;
const SINCE_WORDS = /\bsince\s+\S.*$/i;
/** Words in a proposal's name that do not tell one proposal from another. */
const GENERIC = new Set(['after', 'before', 'relayed', 'list', 'plan', 'peace', 'offer', 'terms', 's']);

// "US" (the United States) is not the pronoun "us" when naming a proposal.
const NAME_WORDS = new Set(['us']);
const wordsOf = (text: string): string[] =>
  normalizeText(text)
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && (NAME_WORDS.has(w) || !STOP_WORDS.has(w)));

/** The articles a question names by their proposal: two of its telling words ("US draft", "Alaska summit"). */
export function articlesNamed(question: string, articles: readonly ThreadArticle[]): string[] {
  const asked = new Set(wordsOf(question));
  return articles
    .filter((a) => {
      if (!a.proposal) return false;
      const words = [...new Set(wordsOf(a.proposal))];
      const hits = words.filter((w) => asked.has(w));
      return hits.length >= 2 && hits.some((w) => !GENERIC.has(w));
    })
    .map((a) => a.docId);
}

/** The one article "the Reuters one" means: all the words in its outlet and title; earlier articles first. */
export function pickArticle(
  words: string,
  articles: readonly ThreadArticle[],
  preferred: readonly string[],
): ThreadArticle | undefined {
  const wanted = wordsOf(words);
  if (wanted.length === 0) return undefined;
  const matches = articles.filter((a) => {
    const have = new Set(wordsOf(`${a.source} ${a.title} ${a.proposal ?? ''}`));
    return wanted.every((w) => have.has(w));
  });
  const earlier = matches.filter((a) => preferred.includes(a.docId));
  const pool = earlier.length ? earlier : matches;
  // Two articles fit equally (two Reuters pieces, neither earlier): the newest.
  return [...pool].sort((a, b) => b.published.localeCompare(a.published))[0];
}

/** The "since" date a message asks for, or null; throws PeacedeskError `invalid_date` for a date that does not exist. */
function sinceOf(text: string, today: Date): string | null {
  return SINCE_WORDS.test(text) ? parseSince(text, today) : null;
}

const titlesOf = (docIds: readonly string[], articles: readonly ThreadArticle[]) =>
  docIds.map((id) => articles.find((a) => a.docId === id)?.title ?? id);

function inheritedWords(
  kept: { docIds?: readonly string[]; since?: string | null; topic?: string | null },
  articles: readonly ThreadArticle[],
): string[] {
  const out: string[] = [];
  if (kept.docIds?.length)
    out.push(
      `${kept.docIds.length === 1 ? 'the article' : 'the articles'} ${titlesOf(kept.docIds, articles).join('; ')}`,
    );
  if (kept.since) out.push(`since ${kept.since}`);
  if (kept.topic) out.push(`topic ${kept.topic}`);
  return out;
}

/** A fresh context for a message that starts one. */
function startContext(text: string, articles: readonly ThreadArticle[], today: Date): ThreadContext {
  const named = articlesNamed(text, articles);
  return {
    question: text,
    docIds: named,
    named: named.length > 0,
    topic: findTopic(text.replace(SINCE_WORDS, ''))?.id ?? null,
    since: sinceOf(text, today),
  };
}

/**
 * Decide how to answer `text` given the conversation so far (the rules at the top of this file).
 * Pure apart from `answersAlone`. Throws PeacedeskError `invalid_date` for "since" an impossible date.
 */
export async function planFollowUp(text: string, input: PlanInput): Promise<FollowUpPlan> {
  const { context, articles, today } = input;
  const trimmed = text.trim();
  if (!context) {
    return { rule: 'first', question: trimmed, options: {}, next: startContext(trimmed, articles, today) };
  }
  const base = { docIds: context.named ? context.docIds : [], since: context.since };
  const restrict = (docIds: readonly string[], since: string | null) => ({
    ...(docIds.length && { docIds: [...docIds] }),
    ...(since && { since }),
  });

  // 1. "the Reuters one"
  const pick = PICK.exec(trimmed)?.[1] ?? PICK_FROM.exec(trimmed)?.[1];
  const picked = pick ? pickArticle(pick, articles, context.docIds) : undefined;
  if (picked) {
    const next = { ...context, docIds: [picked.docId], named: true };
    return {
      rule: 'picks-article',
      question: context.question,
      options: restrict(next.docIds, context.since),
      followsOn: {
        question: context.question,
        inherited: inheritedWords(
          { docIds: next.docIds, since: context.since, topic: context.topic },
          articles,
        ),
      },
      next,
    };
  }

  // 2. "and since August?"
  const since = sinceOf(trimmed, today);
  const rest = trimmed.replace(SINCE_WORDS, '').replace(LEAD_IN, '');
  if (since && wordsOf(rest).length === 0) {
    const next = { ...context, since };
    return {
      rule: 'narrows-dates',
      question: context.question,
      options: restrict(base.docIds, since),
      followsOn: {
        question: context.question,
        inherited: inheritedWords({ docIds: base.docIds, since, topic: context.topic }, articles),
      },
      next,
    };
  }

  // 3. a new subject
  const refersBack = LEAD_IN.test(trimmed) || BACK_REFERENCE.test(normalizeText(trimmed));
  if (!refersBack && wordsOf(trimmed).length >= 2) {
    const fresh = startContext(trimmed, articles, today);
    const namesOthers = fresh.named && fresh.docIds.some((id) => !context.docIds.includes(id));
    if (namesOthers || (await input.answersAlone(trimmed))) {
      return { rule: 'new-subject', question: trimmed, options: {}, next: fresh };
    }
  }

  // 4. on the earlier articles
  const docIds = context.docIds;
  const keptSince = since ?? context.since;
  const topic = findTopic(trimmed.replace(SINCE_WORDS, ''))?.id ?? context.topic;
  return {
    rule: 'same-articles',
    question: trimmed,
    options: restrict(docIds, keptSince),
    followsOn: {
      question: context.question,
      inherited: inheritedWords({ docIds, since: keptSince }, articles),
    },
    // The next "the Reuters one" or "since August" reads this question again.
    next: { ...context, question: trimmed, topic, since: keptSince },
  };
}

/**
 * The context after an answer: a context that started here and named no articles takes the
 * articles it was answered from (so "what about NATO?" stays on them).
 */
export function contextAfter(plan: FollowUpPlan, citedDocIds: readonly string[]): ThreadContext {
  const next = plan.next;
  if (next.named || next.docIds.length || !citedDocIds.length) return next;
  return { ...next, docIds: [...new Set(citedDocIds)] };
}

/** Read a stored context back, or null when it is missing or not a context (a hand-edited row). */
export function parseThreadContext(json: string | null | undefined): ThreadContext | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<ThreadContext>;
    if (typeof v.question !== 'string' || !Array.isArray(v.docIds)) return null;
    return {
      question: v.question,
      docIds: v.docIds.filter((d): d is string => typeof d === 'string'),
      named: v.named === true,
      topic: typeof v.topic === 'string' ? v.topic : null,
      since: typeof v.since === 'string' ? v.since : null,
    };
  } catch {
    return null;
  }
}
