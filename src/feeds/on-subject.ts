import { analyzeTerms } from '../text/analyze.ts';
import { createShippedLexicon, type Lexicon } from '../text/lexicon.ts';
import { tagTopics, topicById } from '../topics/topics.ts';

/** The part of the engine the subject check reads: how rare a term is among the indexed passages. */
export interface TermStatistics {
  idf(term: string): number;
}

/** Whether a feed item is on the subject, and why (logged either way). */
export interface SubjectVerdict {
  onSubject: boolean;
  reason: string;
}

/** Distinctive corpus words an item with no topic needs to count as on the subject. */
export const MIN_DISTINCTIVE_TERMS = 2;
/** Words commoner than this rank in everyday English never count as distinctive ("party", "wins"). */
export const COMMON_RANK = 5000;

/**
 * Judge a feed item by its title and summary: on the subject when it matches a topic of
 * src/topics, or names at least {@link MIN_DISTINCTIVE_TERMS} words that the corpus holds and
 * everyday English rarely uses (the people, places and plans the articles are about: "Witkoff",
 * "Dmitriev", "Zaporizhzhia"). Word frequencies come from the lexicon the engine already ships.
 */
export function judgeSubject(
  item: { title: string; summary: string },
  stats: TermStatistics,
  lexicon: Pick<Lexicon, 'frequencyRank'> = shippedLexicon(),
): SubjectVerdict {
  const text = `${item.title}. ${item.summary}`;
  const topics = tagTopics(new Set(analyzeTerms(text)));
  if (topics.length)
    return {
      onSubject: true,
      reason: `matches the topic${topics.length === 1 ? '' : 's'} ${topics.map((id) => topicById(id)?.label ?? id).join(', ')}`,
    };
  // A term the corpus has never seen gets the largest idf; only terms it has seen count.
  const absent = stats.idf('\u0000no such term');
  const distinctive = new Set<string>();
  for (const word of new Set(text.toLowerCase().match(/[\p{L}\p{N}’'-]+/gu) ?? [])) {
    const term = analyzeTerms(word)[0];
    if (!term || stats.idf(term) >= absent - 1e-9) continue;
    const rank = lexicon.frequencyRank(word);
    if (rank === undefined || rank > COMMON_RANK) distinctive.add(word);
  }
  const shown = [...distinctive].slice(0, 5).join(', ');
  if (distinctive.size >= MIN_DISTINCTIVE_TERMS)
    return { onSubject: true, reason: `names what the corpus is about (${shown})` };
  return {
    onSubject: false,
    reason: distinctive.size
      ? `matches no topic and names too little the corpus is about (only ${shown}; needs ${MIN_DISTINCTIVE_TERMS} distinctive corpus words)`
      : `matches no topic and names nothing the corpus is about (needs ${MIN_DISTINCTIVE_TERMS} distinctive corpus words)`,
  };
}

let lexicon: Lexicon | undefined;
function shippedLexicon(): Lexicon {
  lexicon ??= createShippedLexicon();
  return lexicon;
}
