import type { Platform } from '../store/types.ts';

/** A declined question as the grouping sees it. */
export interface DeclinedAsk {
  question: string;
  /** The folded wording: the same key is the same question. */
  key: string;
  at: Date;
  askerHash: string;
  platform: Platform;
  /** Topic id (src/topics), or null. */
  topic: string | null;
}

/** What a question asks about, from the engine's question analysis. */
export interface QuestionFocus {
  /** Every analysed term (for near-identical wording). */
  terms: readonly string[];
  /** The few most distinctive terms, with the word the asker typed, most distinctive first. */
  focus: ReadonlyArray<{ term: string; surface: string }>;
}

/** A group of declined questions that ask about the same thing. */
export interface AskGroup {
  asks: DeclinedAsk[];
  /** The group's focus words (as typed), commonest first. */
  focus: string[];
  /** The topic most of its questions are about, or null. */
  topic: string | null;
}

/** Two wordings this alike (share of terms in common) are the same question. */
const NEAR_IDENTICAL = 0.75;

const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
};

/**
 * Group declined questions: the same folded wording, near-identical wording, or a shared focus
 * term on a compatible topic (the same, or one of them has none) put two questions in one group.
 * Single-link over distinct wordings, so the order of asks does not change the groups.
 */
export function groupAsks(
  asks: readonly DeclinedAsk[],
  focusOf: (question: string) => QuestionFocus,
): AskGroup[] {
  const byKey = new Map<string, DeclinedAsk[]>();
  for (const ask of asks) {
    const list = byKey.get(ask.key) ?? [];
    list.push(ask);
    byKey.set(ask.key, list);
  }
  const keys = [...byKey.keys()].sort();
  const info = keys.map((key) => {
    const list = byKey.get(key)!;
    const analysed = focusOf(list.at(-1)!.question);
    return {
      terms: new Set(analysed.terms),
      focus: new Set(analysed.focus.map((f) => f.term)),
      topic: majority(list.map((a) => a.topic)),
    };
  });
  const parent = keys.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const a = info[i]!;
      const b = info[j]!;
      const compatible = a.topic === null || b.topic === null || a.topic === b.topic;
      const sharesFocus = [...a.focus].some((term) => b.focus.has(term));
      if (jaccard(a.terms, b.terms) >= NEAR_IDENTICAL || (compatible && sharesFocus))
        parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, string[]>();
  keys.forEach((key, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), key]);
  });
  return [...groups.values()].map((groupKeys) => {
    const groupAsks = groupKeys.flatMap((key) => byKey.get(key)!).sort((a, b) => +a.at - +b.at);
    const surfaces = new Map<string, { surface: string; count: number }>();
    for (const ask of groupAsks) {
      for (const { term, surface } of focusOf(ask.question).focus) {
        const entry = surfaces.get(term) ?? { surface, count: 0 };
        entry.count++;
        surfaces.set(term, entry);
      }
    }
    const focus = [...surfaces.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .map((s) => s.surface);
    return { asks: groupAsks, focus, topic: majority(groupAsks.map((a) => a.topic)) };
  });
}

/** The commonest non-null value (ties: the first seen), or null when there is none. */
function majority(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
