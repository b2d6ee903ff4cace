import type { CorpusDocument } from '../corpus/schema.ts';
import { PeacedeskError } from '../errors.ts';
import type { PassageIndex } from '../search-index/passage-index.ts';
import { type Passage, parsePassageId } from '../search-index/passages.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { findTopic, listTopics, type Topic, topicById, topicScores, topicTerms } from '../topics/topics.ts';
import { informativeSentences } from './informative-sentences.ts';
import { synonymsOf } from './question.ts';
import { highlightsOf, snippetText, snippetWindow } from './snippet.ts';
import type { Answer, Citation, RelatedArticle } from './types.ts';

/** Most rows in one comparison or timeline, so an archive of thousands stays readable. */
export const MAX_ROWS = 8;

const articleOf = (d: CorpusDocument): RelatedArticle => ({
  docId: d.id,
  title: d.title,
  source: d.source,
  published: d.published,
  url: d.url ?? null,
});

/** "Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit". */
export function rowLabel(d: CorpusDocument): string {
  return `${d.proposedBy ?? d.source}, ${d.published}: ${d.proposal ?? d.title}`;
}

// "Territory and front lines" reads "territory and front lines" mid-sentence; "NATO …" stays.
const lowerFirst = (label: string) =>
  /^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

/** Resolve a topic given by id, name or alias; a PeacedeskError listing the topics otherwise. */
export function resolveTopic(text: string): Topic {
  const topic = topicById(text.trim().toLowerCase()) ?? findTopic(text);
  if (!topic) {
    const known = listTopics()
      .map((t) => `${t.id} (${t.label})`)
      .join(', ');
    throw new PeacedeskError('unknown_topic', `No topic matches "${text}". Topics: ${known}.`, {
      topic: text,
    });
  }
  return topic;
}

function citationFor(
  index: PassageIndex,
  passage: Passage,
  n: number,
  score: number,
  bold: ReadonlySet<string>,
): Citation {
  const document = index.document(passage.docId)!;
  const window = snippetWindow(passage, index.passagesOf(document.id));
  const snippet = snippetText(window, document.body);
  return {
    n,
    ...articleOf(document),
    snippet,
    score: Math.round(score * 1000) / 1000,
    highlights: highlightsOf(snippet, bold),
    sentences: [window[0]!.sentence, window.at(-1)!.sentence] as const,
    label: rowLabel(document),
  };
}

function finish(partial: Omit<Answer, 'asOf'>): Answer {
  const asOf = partial.citations.reduce<string | null>(
    (newest, c) => (newest === null || c.published > newest ? c.published : newest),
    null,
  );
  return { ...partial, asOf };
}

/** The sentence that tells most among `passages` of one document (the digest's method), or undefined. */
function mostInformative(
  index: PassageIndex,
  passages: readonly Passage[],
  quotedWithPrevious = false,
): Passage | undefined {
  const title = passages[0] ? index.document(passages[0].docId)?.title : undefined;
  return informativeSentences(passages, index.idf, {
    max: 1,
    min: 1,
    quotedWithPrevious,
    ...(title && { title }),
  })[0]?.passage;
}

/**
 * Where a topic is discussed: each on-topic passage's strength (strong terms count double), and
 * each document's strongest, from the index's postings without reading passages.
 */
interface TopicMap {
  scores: Map<string, number>;
  bestByDoc: Map<string, number>;
}

function topicMap(index: PassageIndex, topicId: string): TopicMap {
  const scores = topicScores(topicId, index.passagesWith);
  const bestByDoc = new Map<string, number>();
  for (const [id, score] of scores) {
    const docId = parsePassageId(id)?.docId;
    if (docId !== undefined && score > (bestByDoc.get(docId) ?? 0)) bestByDoc.set(docId, score);
  }
  return { scores, bestByDoc };
}

// Share of a document's best topic score a sentence needs to be considered for its row.
const NEAR_STRONGEST = 0.6;

/**
 * A document's passage that says most on a topic, with its strength; undefined when it is
 * silent. Topic evidence first; among the strongest, the most informative sentence.
 */
function bestOnTopic(
  index: PassageIndex,
  docId: string,
  topic: TopicMap,
): { passage: Passage; score: number } | undefined {
  const best = topic.bestByDoc.get(docId);
  if (best === undefined) return undefined;
  // The strongest sentences first. When none of them names what this document proposes (its
  // `proposal`: "list of demands"), a sentence near the strongest that does states its terms,
  // where the strongest is background ("NATO's eastward expansion … NATO" against "the Kremlin's
  // conditions … These include a firm commitment that Ukraine will never join NATO").
  const article = index.passagesOf(docId);
  const proposal = proposalTermsOf(index.document(docId)!);
  const states = (p: Passage) =>
    snippetWindow(p, article).some((q) => [...proposal].some((t) => q.terms.has(t)));
  const strongest = article.filter((p) => topic.scores.get(p.id) === best);
  const near = article.filter((p) => (topic.scores.get(p.id) ?? 0) >= best * NEAR_STRONGEST && states(p));
  const pool = strongest.some(states) || near.length === 0 ? strongest : near;
  // A row quotes a leaning sentence with the one before it, so it is judged as quoted.
  const passage = mostInformative(index, pool, true);
  return passage && { passage, score: topic.scores.get(passage.id)! };
}

// The words of what a document proposes, and their synonyms, names left out ("Russia's list of
// demands to Washington" -> list, demand, condition, term, …). Once per document version.
const proposalTerms = new WeakMap<CorpusDocument, Set<string>>();
function proposalTermsOf(d: CorpusDocument): Set<string> {
  let terms = proposalTerms.get(d);
  if (!terms) {
    const words = (d.proposal ?? '').match(/(?<![\p{L}'])\p{Ll}[\p{L}'-]*/gu) ?? [];
    const own = words.flatMap((w) => analyzeTerms(w));
    terms = new Set([...own, ...own.flatMap(synonymsOf)]);
    proposalTerms.set(d, terms);
  }
  return terms;
}

// Analysed once per document version: a comparison over an archive would re-analyse every title.
const nameTerms = new WeakMap<CorpusDocument, Set<string>>();
function nameTermsOf(d: CorpusDocument): Set<string> {
  let terms = nameTerms.get(d);
  if (!terms) {
    terms = new Set(analyzeTerms(`${d.title} ${d.proposal ?? ''} ${d.proposedBy ?? ''}`));
    nameTerms.set(d, terms);
  }
  return terms;
}

/** Documents a comparison question names ("the US draft and Putin's terms"), when it names two or more. */
function namedDocuments(index: PassageIndex, question: string, topicId: string): Set<string> | undefined {
  const ignore = topicTerms(topicId);
  for (const term of analyzeTerms(
    'compare comparison differ difference contrast versus proposals proposal position positions',
  )) {
    ignore.add(term);
  }
  const asked = analyzeTerms(question).filter((t) => !ignore.has(t));
  const named = new Set<string>();
  if (new Set(asked).size < 2) return undefined;
  for (const d of index.documents()) {
    const names = nameTermsOf(d);
    if (new Set(asked.filter((t) => names.has(t))).size >= 2) named.add(d.id);
  }
  return named.size >= 2 ? named : undefined;
}

/**
 * Compare the documents on a topic: one row per document, oldest first, each its best verbatim
 * passage on the topic, cited; documents that say nothing on it are listed as silent.
 */
export function compareOnTopic(
  index: PassageIndex,
  topicText: string,
  question = `Compare on ${topicText}`,
): Answer {
  const topic = resolveTopic(topicText);
  const restrict = namedDocuments(index, question, topic.id);
  const docs = [...index.documents()].filter((d) => !restrict || restrict.has(d.id));
  const map = topicMap(index, topic.id);
  // With more documents than rows, keep the ones that say most, proposals first; only those
  // are read to pick their sentence.
  const kept = docs
    .filter((d) => map.bestByDoc.has(d.id))
    .sort(
      (a, b) =>
        Number(Boolean(b.proposal)) - Number(Boolean(a.proposal)) ||
        map.bestByDoc.get(b.id)! - map.bestByDoc.get(a.id)! ||
        a.published.localeCompare(b.published) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, MAX_ROWS)
    .flatMap((d) => {
      const best = bestOnTopic(index, d.id, map);
      return best ? [{ document: d, ...best }] : [];
    })
    .sort(
      (a, b) =>
        a.document.published.localeCompare(b.document.published) ||
        a.document.id.localeCompare(b.document.id),
    );
  const bold = topicTerms(topic.id);
  const topScore = Math.max(1, ...kept.map((r) => r.score));
  const citations = kept.map((row, i) => citationFor(index, row.passage, i + 1, row.score / topScore, bold));
  const silent = docs
    .filter((d) => !map.bestByDoc.has(d.id) && (d.proposal || docs.length <= MAX_ROWS))
    .sort((a, b) => a.published.localeCompare(b.published))
    .slice(0, MAX_ROWS)
    .map(articleOf);
  return finish({
    kind: 'comparison',
    question,
    heading: `How the ${restrict ? 'named documents' : 'proposals'} compare on ${lowerFirst(topic.label)} (oldest first)`,
    answered: citations.length > 0,
    citations,
    related: [],
    silent,
  });
}

/** Options of {@link timelineOf}. */
export interface TimelineOptions {
  /** Topic id, name or alias: pick each document's sentence on it. */
  topic?: string;
  /** Only documents published on or after this date (YYYY-MM-DD). */
  since?: string;
  question?: string;
}

/**
 * The documents in date order, each with its one most informative sentence (on the topic when
 * given), cited, so a reader sees positions move. With more than MAX_ROWS, the newest are kept,
 * and documents silent on the topic are listed among those the rows span.
 */
export function timelineOf(index: PassageIndex, options: TimelineOptions = {}): Answer {
  const topic = options.topic ? resolveTopic(options.topic) : undefined;
  const map = topic && topicMap(index, topic.id);
  const docs = [...index.documents()]
    .filter((d) => !options.since || d.published >= options.since)
    .sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
  // Newest first until MAX_ROWS rows are found: an archive of thousands is not read whole.
  const rows: Array<{ document: CorpusDocument; passage: Passage; score: number }> = [];
  const silentDocs: CorpusDocument[] = [];
  for (let i = docs.length - 1; i >= 0 && rows.length < MAX_ROWS; i--) {
    const d = docs[i]!;
    if (map) {
      const best = bestOnTopic(index, d.id, map);
      if (best) rows.push({ document: d, ...best });
      else if (silentDocs.length < MAX_ROWS) silentDocs.push(d);
    } else {
      const passage = mostInformative(index, index.passagesOf(d.id));
      if (passage) rows.push({ document: d, passage, score: 1 });
    }
  }
  const kept = rows.reverse();
  const bold = topic ? topicTerms(topic.id) : new Set<string>();
  const topScore = Math.max(1e-9, ...kept.map((r) => r.score));
  const citations = kept.map((row, i) => citationFor(index, row.passage, i + 1, row.score / topScore, bold));
  const about = topic ? ` on ${lowerFirst(topic.label)}` : '';
  const since = options.since ? ` since ${options.since}` : '';
  const newest = [...index.documents()].reduce<string | null>(
    (n, d) => (n === null || d.published > n ? d.published : n),
    null,
  );
  return finish({
    kind: 'timeline',
    question: options.question ?? `Timeline${about}${since}`,
    heading: citations.length
      ? `Timeline${about}${since}: ${citations.length} document${citations.length === 1 ? '' : 's'}, oldest first`
      : `Nothing in the sources${about}${since}${newest ? ` (the newest article is from ${newest})` : ''}.`,
    answered: citations.length > 0,
    citations,
    related: [],
    silent: silentDocs.reverse().map(articleOf),
  });
}
