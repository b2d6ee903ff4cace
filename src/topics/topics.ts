import { analyzeTerms } from '../text/analyze.ts';
import taxonomy from './taxonomy.json' with { type: 'json' };

/** An issue the proposals turn on (territory, NATO, sanctions, …). */
export interface Topic {
  id: string;
  label: string;
}

interface CompiledTopic extends Topic {
  /** Each strong term or phrase as its analysed terms: one present (all its words) tags a passage. */
  strong: string[][];
  /** Weak terms: two different ones present tag a passage. */
  weak: string[][];
  /** Analysed names a user may give the topic (label, aliases). */
  names: string[][];
}

// Analyse each phrase; drop ones that analyse to nothing and ones that repeat ("region"/"regions").
const compile = (phrases: readonly string[]): string[][] => {
  const seen = new Map<string, string[]>();
  for (const phrase of phrases) {
    const terms = analyzeTerms(phrase);
    if (terms.length) seen.set(terms.join(' '), terms);
  }
  return [...seen.values()];
};

/** The taxonomy from taxonomy.json, analysed once. */
export const TOPICS: readonly CompiledTopic[] = taxonomy.topics.map((t) => ({
  id: t.id,
  label: t.label,
  strong: compile(t.strong),
  weak: compile(t.weak),
  names: compile([t.id.replaceAll('-', ' '), t.label, ...t.aliases]),
}));

const has = (terms: ReadonlySet<string>, phrase: readonly string[]) =>
  phrase.every((term) => terms.has(term));

/** The ids of the topics a passage (given its analysed terms) is about. */
export function tagTopics(terms: ReadonlySet<string>): string[] {
  return TOPICS.filter((topic) => {
    if (topic.strong.some((phrase) => has(terms, phrase))) return true;
    let weak = 0;
    for (const phrase of topic.weak) if (has(terms, phrase) && ++weak >= 2) return true;
    return false;
  }).map((topic) => topic.id);
}

/** How strongly terms signal a topic: counts of its strong and weak phrases present. */
export function topicStrength(terms: ReadonlySet<string>, topicId: string): { strong: number; weak: number } {
  const topic = TOPICS.find((t) => t.id === topicId);
  if (!topic) return { strong: 0, weak: 0 };
  return {
    strong: topic.strong.filter((phrase) => has(terms, phrase)).length,
    weak: topic.weak.filter((phrase) => has(terms, phrase)).length,
  };
}

/**
 * The passages on a topic and how strongly (2 per strong phrase + 1 per weak one, the score
 * {@link tagTopics} and {@link topicStrength} give), found from postings alone:
 * `passagesWith(term)` lists the passages holding a term. No passage is read or analysed, so a
 * comparison over an archive of thousands costs one pass over the topic terms' postings.
 */
export function topicScores(
  topicId: string,
  passagesWith: (term: string) => readonly string[],
): Map<string, number> {
  const topic = TOPICS.find((t) => t.id === topicId);
  const scores = new Map<string, number>();
  if (!topic) return scores;
  const postings = new Map<string, readonly string[]>();
  const holding = (phrase: readonly string[]): readonly string[] => {
    const lists = phrase.map((term) => {
      let list = postings.get(term);
      if (!list) {
        list = passagesWith(term);
        postings.set(term, list);
      }
      return list;
    });
    if (lists.length === 1) return lists[0]!;
    const [shortest, ...rest] = [...lists].sort((a, b) => a.length - b.length);
    const others = rest.map((list) => new Set(list));
    return shortest!.filter((id) => others.every((set) => set.has(id)));
  };
  const strong = new Map<string, number>();
  const weak = new Map<string, number>();
  for (const phrase of topic.strong)
    for (const id of holding(phrase)) strong.set(id, (strong.get(id) ?? 0) + 1);
  for (const phrase of topic.weak) for (const id of holding(phrase)) weak.set(id, (weak.get(id) ?? 0) + 1);
  for (const [id, count] of strong) scores.set(id, count * 2 + (weak.get(id) ?? 0));
  for (const [id, count] of weak) if (count >= 2 && !strong.has(id)) scores.set(id, count);
  return scores;
}

/** The topic with this id, if any. */
export function topicById(id: string): Topic | undefined {
  const topic = TOPICS.find((t) => t.id === id);
  return topic && { id: topic.id, label: topic.label };
}

/**
 * The topic a piece of text names ("NATO", "territory", "compare the proposals on sanctions"):
 * the topic whose names, then strong terms, the text holds most of. Undefined when none.
 */
export function findTopic(text: string): Topic | undefined {
  const terms = new Set(analyzeTerms(text));
  const exact = TOPICS.find((t) => t.id === text.trim().toLowerCase());
  if (exact) return { id: exact.id, label: exact.label };
  let best: CompiledTopic | undefined;
  let bestScore = 0;
  for (const topic of TOPICS) {
    const named = topic.names.filter((phrase) => has(terms, phrase)).reduce((sum, p) => sum + p.length, 0);
    const strong = topic.strong.filter((phrase) => has(terms, phrase)).length;
    const score = named * 2 + strong;
    if (score > bestScore) {
      best = topic;
      bestScore = score;
    }
  }
  return best && { id: best.id, label: best.label };
}

/** Terms that signal a topic (names, strong and weak terms): what to bold, and what is not a document name. */
export function topicTerms(topicId: string): Set<string> {
  const topic = TOPICS.find((t) => t.id === topicId);
  return new Set(topic ? [...topic.names, ...topic.strong, ...topic.weak].flat() : []);
}

/** Every topic (for `/compare` autocomplete and help). */
export function listTopics(): Topic[] {
  return TOPICS.map((t) => ({ id: t.id, label: t.label }));
}
